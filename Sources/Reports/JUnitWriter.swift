import AtomicFiles
import Foundation

/// Writes a ``RunReport`` as JUnit XML through libxml2's xmlTextWriter, in the one shape both
/// bundled schemas (`Reports/schemas/`: Jenkins' junit-10 and Ant's JUnit.xsd) accept:
///
///     testsuites (name tests failures errors skipped time)
///       testsuite, one per ScenarioResult.group (name tests failures errors skipped time
///                  timestamp hostname id package)
///         properties    what the whole suite shares: tool, client, selection, surface, strategy
///         testcase      one per scenario (name = id, classname = group, time, file), holding at
///                       most one failure, error or skipped
///         system-out    per scenario: seed, delivery scenario, reproduction, broken SHOULDs, wire excerpt
///         system-err    per scenario with one: the client's standard error
///
/// The Ant schema allows nothing inside a test case but one failure, error or skipped, so
/// per-scenario facts live in the suite's `system-out` (Jenkins shows it for every case that
/// has none of its own) and the reproduction is repeated in the failure's text, which every CI
/// server shows. How non-strict results appear is explained in ``JUnitOutcome``.
public struct JUnitWriter: Sendable {
    public var strict: Bool
    /// The `hostname` of every suite.
    public var hostname: String

    /// `hostname` defaults to this machine's; an empty one becomes `localhost`, as the Ant
    /// schema asks.
    public init(strict: Bool = false, hostname: String? = nil) {
        self.strict = strict
        let name = (hostname ?? JUnitFormatting.hostname).trimmingCharacters(in: .whitespacesAndNewlines)
        self.hostname = name.isEmpty ? "localhost" : name
    }

    /// The document, UTF-8.
    public func render(_ report: RunReport) throws(JUnitWriteError) -> [UInt8] {
        let xml = try XMLTextWriter()
        try xml.startDocument()
        let suites = Self.suites(of: report.results)
        let outcomes = report.results.map { JUnitOutcome($0, strict: strict) }
        try xml.startElement("testsuites")
        try xml.attribute("name", report.tool.isEmpty ? "tapedeck" : "\(report.tool): \(report.client.name)")
        try counts(of: Array(zip(report.results, outcomes)), into: xml)
        try xml.attribute("time", JUnitFormatting.seconds(report.duration))
        for (index, suite) in suites.enumerated() {
            try write(suite: suite, id: index, report: report, into: xml)
        }
        try xml.endElement()
        return try xml.finish()
    }

    /// Writes the document to `path` atomically (a temporary file beside it, then a rename).
    public func write(_ report: RunReport, to path: String) throws(JUnitWriteError) {
        let bytes = try render(report)
        do throws(AtomicFileError) {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: path, reason: error.description)
        }
    }

    /// Results grouped by suite, suites in name order, cases in report order.
    static func suites(of results: [ScenarioResult]) -> [(name: String, results: [ScenarioResult])] {
        let grouped = Dictionary(grouping: results, by: \.group)
        return grouped.keys.sorted().map { ($0, grouped[$0]!) }
    }

    private func counts(of cases: [(ScenarioResult, JUnitOutcome)], into xml: XMLTextWriter) throws(JUnitWriteError) {
        try xml.attribute("tests", String(cases.count))
        try xml.attribute("failures", String(cases.count { $0.1.isFailure }))
        try xml.attribute("errors", String(cases.count { $0.1.isError }))
        try xml.attribute("skipped", String(cases.count { $0.1.isSkipped }))
    }

    private func write(suite: (name: String, results: [ScenarioResult]), id: Int, report: RunReport, into xml: XMLTextWriter) throws(JUnitWriteError) {
        let cases = suite.results.map { ($0, JUnitOutcome($0, strict: strict)) }
        try xml.startElement("testsuite")
        try xml.attribute("name", suite.name)
        try counts(of: cases, into: xml)
        try xml.attribute("time", JUnitFormatting.seconds(suite.results.reduce(0) { $0 + max(0, $1.duration) }))
        try xml.attribute("timestamp", JUnitFormatting.timestamp(report.startedAt))
        try xml.attribute("hostname", hostname)
        try xml.attribute("id", String(id))
        try xml.attribute("package", suite.name)

        try xml.startElement("properties")
        for (name, value) in Self.properties(of: suite.results, report: report) {
            try xml.element("property", attributes: ["name": name, "value": value])
        }
        try xml.endElement()

        for (result, outcome) in cases {
            try write(testcase: result, outcome: outcome, into: xml)
        }
        try xml.element("system-out", text: cases.map { JUnitText.scenarioBlock($0.0, outcome: $0.1) }.joined(separator: "\n"))
        try xml.element("system-err", text: suite.results.filter { !$0.clientLog.isEmpty }.map(JUnitText.clientLogBlock).joined(separator: "\n"))
        try xml.endElement()
    }

    private func write(testcase result: ScenarioResult, outcome: JUnitOutcome, into xml: XMLTextWriter) throws(JUnitWriteError) {
        try xml.startElement("testcase")
        try xml.attribute("name", result.id)
        try xml.attribute("classname", result.group)
        try xml.attribute("time", JUnitFormatting.seconds(result.duration))
        try xml.attribute("file", result.file)
        switch outcome {
        case .passed, .passedWithNotes:
            break
        case .failed(let message, let type):
            try xml.startElement("failure")
            try xml.attribute("message", message)
            try xml.attribute("type", type)
            try xml.text(JUnitText.failureText(result))
            try xml.endElement()
        case .errored(let message):
            try xml.startElement("error")
            try xml.attribute("message", message)
            try xml.attribute("type", "harness")
            try xml.text(JUnitText.errorText(result))
            try xml.endElement()
        case .skipped(let message):
            try xml.element("skipped", attributes: ["message": message])
        }
        try xml.endElement()
    }

    /// What every case of the suite shares. Per-scenario values (seed, ID, reproduction) are in
    /// `system-out`: neither schema allows properties inside a test case.
    static func properties(of results: [ScenarioResult], report: RunReport) -> [(String, String)] {
        func distinct(_ values: [String]) -> String {
            var seen = Set<String>()
            return values.filter { seen.insert($0).inserted }.joined(separator: ", ")
        }
        var properties: [(String, String)] = [
            ("tapedeck.tool", report.tool),
            ("tapedeck.started", report.startedAt),
            ("tapedeck.selection", report.selection),
            ("tapedeck.client", report.client.name),
            ("tapedeck.client.mode", report.client.mode),
        ]
        if let version = report.client.version { properties.append(("tapedeck.client.version", version)) }
        if let command = report.client.command { properties.append(("tapedeck.client.command", command)) }
        properties.append(("tapedeck.client.capabilities", report.client.capabilities.joined(separator: ", ")))
        properties.append(("tapedeck.surface", distinct(results.map(\.surface))))
        properties.append(("tapedeck.strategy", distinct(results.map(\.strategy))))
        properties.append(("tapedeck.dialects", distinct(results.map(\.dialect))))
        return properties
    }
}
