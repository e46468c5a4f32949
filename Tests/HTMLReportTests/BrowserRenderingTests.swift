import Foundation
import HTMLReport
import ImageCodecs
import ImageFormats
import Testing
import TestKit

@Suite("The HTML report in a real browser", .serialized)
struct BrowserRenderingTests {
    @Test("chromium runs the page's script, renders the counts and the filmstrip, and paints a real picture",
          .enabled(if: HeadlessBrowser.installed != nil, "no chromium on this machine (see the printed reason)"),
          .timeLimit(.minutes(3)))
    func rendersInChromium() throws {
        let browser = try #require(HeadlessBrowser.installed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("html-report-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("Reports/index.html")
        let report = try ReportFixtures.mixedReport()
        try HTMLReportWriter.write(report, to: page.path)

        let dom = try browser.dumpDOM(of: page)
        #expect(dom.contains("<body data-ready=\"yes\">"), "the inline script ran")
        #expect(dom.contains("Showing 4 of 4 scenarios"), "the filter counted the rows")
        #expect(ReportFixtures.number("shown-fail", in: dom) == 2)
        #expect(ReportFixtures.number("shown-non-strict", in: dom) == 1)
        #expect(ReportFixtures.number("total-fail", in: dom) == 2)
        // Thumbnails: 2 + 2 (+ the truncated and missing finals, without) + 3 + 3.
        #expect(ReportFixtures.thumbnails(in: dom).count == 10)
        #expect(dom.matches(of: /<svg class="timeline"/).count == 4)

        // Filters given in the fragment apply on load: only the failures of the adversarial strategy.
        let filtered = try browser.dumpDOM(of: URL(string: page.absoluteString + "#verdict=fail&strategy=adversarial")!)
        #expect(filtered.contains("Showing 1 of 4 scenarios"))
        #expect(filtered.matches(of: /<tr class="scenario-row"[^>]*hidden=""/).count == 3)
        #expect(filtered.matches(of: /<section class="scenario[^>]*hidden=""/).count == 3)

        // The overview's squares and the causes link to fragments the page applies: one cause, one ID.
        #expect(dom.matches(of: /<a class="sq v-/).count == 4)
        let cause = try browser.dumpDOM(of: URL(string: page.absoluteString + "#cause=CLIENT-004%20under%20as%20recorded")!)
        #expect(cause.contains("Showing 2 of 4 scenarios"))
        let one = try browser.dumpDOM(of: URL(string: page.absoluteString + "#id=images-generate-png-partial-2%40chunking%3Dwhole")!)
        #expect(one.contains("Showing 1 of 4 scenarios"))

        let screenshot = folder.appendingPathComponent("screenshot.png")
        try browser.screenshot(of: page, to: screenshot, width: 1280, height: 2000)
        let png = [UInt8](try Data(contentsOf: screenshot))
        let inspection = ImageInspector.inspect(png)
        #expect(inspection.isComplete && inspection.format == .png)
        #expect(inspection.width == 1280 && inspection.height == 2000)
        let pixels = try #require(ImageDecoder.decode(png))
        #expect(pixels.distinctColourCount() > 50, "more than a blank page: text, colours, thumbnails")
    }
}
