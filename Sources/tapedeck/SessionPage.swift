import Cassette
import Foundation
import HTMLReport
import ImageStreamSpec
import Reports
import SessionTraces

/// The HTML page of one cassette: its session (timeline, filmstrip, wire) and what the
/// validator found, as `record` and `cassette show --html` write it.
enum SessionPage {
    /// Thumbnails for one session: small, and a page of a few megabytes at most.
    static let thumbnails = ThumbnailPolicy.scaled(maxSide: 160, byteBudget: 8 << 20)

    /// The cassette as one scenario: failed when a MUST was broken, non-strict when only a
    /// SHOULD was, passed otherwise (and when it was not validated).
    static func result(for cassette: Cassette, path: String, validation: ValidationReport?) -> ScenarioResult {
        let findings = (validation?.findings ?? []).filter { $0.level == .must || $0.level == .should }
        let verdict: Verdict = findings.contains { $0.level == .must } ? .fail : findings.isEmpty ? .pass : .nonStrict
        let trace = SessionTraceBuilder.build(cassette: cassette, thumbnails: thumbnails)
        let response = cassette.response
        return ScenarioResult(
            id: cassette.name, surface: cassette.surface, dialect: cassette.dialect, strategy: "recorded",
            scenario: "HTTP \(response.status), \(response.recording.chunkEnds.count) chunks, ended \(response.ending.rawValue)",
            source: cassette.name, file: path, verdict: verdict,
            duration: trace.chunks.last?.time ?? 0,
            reason: validation == nil ? "not validated: the specs could not be loaded" : nil,
            violations: findings.map { finding in
                Violation(ruleID: finding.ruleID, level: finding.level.rawValue, statement: finding.statement, source: finding.source,
                          expected: finding.expected ?? "", observed: [finding.actual, "\(finding.message) (\(finding.location))"]
                              .compactMap { $0 }.joined(separator: "\n"))
            },
            reproduction: "tapedeck validate '\(path)'",
            wireExcerpt: WireExcerpt.make(response.recording.bytes),
            trace: trace)
    }

    /// Validates the cassette against its own surface and dialect; nil (with a message on
    /// standard error) when the specs cannot be loaded or do not know them.
    static func validate(_ cassette: Cassette, specs: String?, command: String) -> ValidationReport? {
        do {
            return try Validator.validate(cassette, catalog: try SpecsLocation.load(explicit: specs))
        } catch {
            printError("\(command): the page shows no findings: \(error)")
            return nil
        }
    }

    /// Renders and writes the page; returns where.
    static func write(_ cassette: Cassette, path: String, validation: ValidationReport?, to pagePath: String) throws(HTMLReportError) {
        let html = HTMLReportWriter.renderSession(
            result(for: cassette, path: path, validation: validation),
            tool: "tapedeck \(TapedeckVersion.current)", startedAt: startedAt(of: cassette), origin: origin(of: cassette))
        try HTMLReportWriter.write(html, to: pagePath)
    }

    /// Where the exchange came from: the host it was recorded from, or the tool that made it.
    static func origin(of cassette: Cassette) -> ClientInfo {
        switch cassette.provenance {
        case .recorded(let host, _, _): ClientInfo(mode: "recorded from", name: host, capabilities: [])
        case .synthesized(let tool, _): ClientInfo(mode: "synthesized by", name: tool, capabilities: [])
        case .imported(let format, _, let host, _, _): ClientInfo(mode: "imported from \(format) of", name: host, capabilities: [])
        }
    }

    /// When it was recorded, or when it was made for a synthesized one (not kept: now).
    static func startedAt(of cassette: Cassette) -> String {
        if case .recorded(_, let at, _) = cassette.provenance { return at }
        return ISO8601DateFormatter().string(from: Date())
    }
}
