import AtomicFiles
import Foundation
import Mustache
import Reports

/// The HTML report: one self-contained page (inline styles and script, thumbnails as `data:`
/// URLs; nothing fetched) that opens from the file system.
public enum HTMLReportWriter {
    /// The page for a run: the summary with filters, the scenario table, and each scenario
    /// that did not pass in full (verdict, rules, diff, reproduction, filmstrip, timeline, wire).
    public static func render(_ report: RunReport, options: HTMLReportOptions = HTMLReportOptions()) -> String {
        render(report, session: nil, options: options)
    }

    /// The page for one recorded session: `result` shown in full, without the run's summary.
    /// `origin` says where the exchange came from, shown as "MODE NAME": `recorded from`
    /// and the host, or `synthesized by` and the tool.
    public static func renderSession(_ result: ScenarioResult, tool: String, startedAt: String,
                                     origin client: ClientInfo = ClientInfo(mode: "recorded", name: "", capabilities: []),
                                     options: HTMLReportOptions = HTMLReportOptions()) -> String {
        let report = RunReport(tool: tool, startedAt: startedAt, duration: result.duration, client: client,
                               selection: result.scenario, results: [result])
        return render(report, session: result.id, options: options)
    }

    /// Writes `html` to `path` atomically (`AtomicFile`), creating the folder when needed.
    public static func write(_ html: String, to path: String) throws(HTMLReportError) {
        do throws(AtomicFileError) {
            try AtomicFile.write(Array(html.utf8), to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.description)
        }
    }

    /// Renders `report` and writes it to `path` atomically.
    public static func write(_ report: RunReport, to path: String, options: HTMLReportOptions = HTMLReportOptions()) throws(HTMLReportError) {
        try write(render(report, options: options), to: path)
    }

    /// Thumbnails get what the page without them leaves of `maxPageBytes`, so the whole
    /// page stays under it (unless the text alone is larger). The page is rendered once when
    /// everything fits, which is the usual case.
    static func render(_ report: RunReport, session: String?, options: HTMLReportOptions) -> String {
        let whole = template.render(PageModelBuilder(options: options, thumbnailBudget: Int.max).build(report, session: session))
        guard whole.utf8.count > options.maxPageBytes else { return whole }
        let bare = PageModelBuilder(options: options, thumbnailBudget: 0).build(report, session: session)
        let bareText = template.render(bare)
        guard bare.thumbnailsLeftOut > 0 else { return bareText }
        // Room for the thumbnails' <img> markup and a changed note, besides their URLs.
        let margin = 256 + 64 * bare.thumbnailsLeftOut
        let budget = max(0, options.maxPageBytes - bareText.utf8.count - margin)
        return template.render(PageModelBuilder(options: options, thumbnailBudget: budget).build(report, session: session))
    }

    static let template: MustacheTemplate = {
        do {
            return try MustacheTemplate(string: PageTemplate.text)
        } catch {
            fatalError("the page template does not parse: \(error)")
        }
    }()
}
