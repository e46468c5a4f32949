import Cassette
import Foundation
import Reports
import SessionTraces

/// Run reports made from the bundled cassettes, with verdicts chosen by the test.
enum ReportFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func cassette(_ name: String) throws -> Cassette {
        try Cassette.load(from: root.appendingPathComponent("Cassettes/\(name).cassette.json").path)
    }

    static func result(
        _ cassetteName: String,
        verdict: Verdict,
        strategy: String = "whole",
        violations: [Violation] = [],
        thumbnails: ThumbnailPolicy = .standard
    ) throws -> ScenarioResult {
        let cassette = try cassette(cassetteName)
        return ScenarioResult(
            id: "\(cassetteName)@chunking=\(strategy)", surface: cassette.surface, dialect: cassette.dialect,
            strategy: strategy, scenario: "chunking=\(strategy)", source: cassetteName,
            file: "Cassettes/\(cassetteName).cassette.json", verdict: verdict, duration: 0.25,
            violations: violations,
            reproduction: "tapedeck run --only '\(cassetteName)@chunking=\(strategy)'",
            wireExcerpt: "event: image_generation.partial_image\\n data: {…}",
            trace: SessionTraceBuilder.build(cassette: cassette, thumbnails: thumbnails))
    }

    static let finalMissing = Violation(
        ruleID: "CLIENT-004", level: "MUST", statement: "A client reports an error when the stream ends without the final image.",
        source: "docs/client-contract.md", expected: "error.json present\nno final-0.png", observed: "no error.json\nno final-0.png")

    static func report(_ results: [ScenarioResult]) -> RunReport {
        RunReport(tool: "tapedeck 0.4.0", startedAt: "2026-11-22T10:00:00Z", duration: 3.5,
                  client: ClientInfo(mode: "command", name: "openai-python", version: "2.8.1", command: "python client.py", capabilities: ["stream"]),
                  selection: "--chunking whole,adversarial", results: results)
    }

    /// Four scenarios: two fails (one truncated final, one missing final), a non-strict, a pass.
    static func mixedReport() throws -> RunReport {
        report([
            try result("images-generate-truncated-final-image", verdict: .fail, violations: [finalMissing]),
            try result("images-generate-missing-final", verdict: .fail, strategy: "adversarial", violations: [finalMissing]),
            try result("responses-png-partial-2", verdict: .nonStrict, strategy: "adversarial"),
            try result("images-generate-png-partial-2", verdict: .pass),
        ])
    }

    /// Every `data:` thumbnail URL the page's `<img>` tags carry.
    static func thumbnails(in html: String) -> [Substring] {
        html.matches(of: /<img class="thumb" src="(data:image\/png;base64,[A-Za-z0-9+\/=]+)"/).map(\.output.1)
    }

    /// The number in the element with this ID, such as `<b id="total-fail">2</b>`.
    static func number(_ id: String, in html: String) -> Int? {
        guard let match = html.firstMatch(of: try! Regex("id=\"\(id)\">([0-9]+)<")) else { return nil }
        return Int(match.output[1].substring ?? "")
    }
}
