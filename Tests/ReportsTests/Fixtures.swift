import Foundation
import Reports

/// Reports to write and check, built from parts a runner would produce.
enum Fixtures {
    static let schemasFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reports/schemas").path

    static let client = ClientInfo(mode: "command", name: "openai-python", version: "2.8.0", command: "python3 clients/python/adapter.py", capabilities: ["images.generate", "responses"])

    static let mustBroken = Violation(ruleID: "CLIENT-004", level: "MUST", statement: "When the response ends before its final event, the client reports an error.", source: "docs/client-contract.md", expected: "an error", observed: "exit 0, final-0.png written")
    static let shouldBroken = Violation(ruleID: "CLIENT-006", level: "SHOULD", statement: "The usage a client reports equals the delivered usage.", source: "docs/client-contract.md", expected: "total_tokens 120", observed: "total_tokens 0")

    static func result(
        _ id: String,
        verdict: Verdict,
        surface: String = "images.generate",
        strategy: String = "adversarial",
        seed: UInt64 = 7,
        violations: [Violation]? = nil,
        reason: String? = nil,
        wire: String = "event: image_generation.partial_image\\n",
        log: String = "",
        duration: Double = 0.25
    ) -> ScenarioResult {
        let defaultViolations: [Violation] = switch verdict {
        case .fail: [shouldBroken, mustBroken]
        case .nonStrict: [shouldBroken]
        default: []
        }
        let defaultReason: String? = switch verdict {
        case .error: "the client could not be started: /bin/sh: adapter: not found"
        case .skipped: "needs capability images.edit, which the client does not declare"
        default: nil
        }
        return ScenarioResult(
            id: id, surface: surface, dialect: "openai", strategy: strategy,
            scenario: "chunking=\(strategy),seed=\(seed)", seed: seed,
            source: "Cassettes/\(id).cassette.json", file: "Cassettes/\(id).cassette.json",
            verdict: verdict, duration: duration, reason: reason ?? defaultReason,
            violations: violations ?? defaultViolations,
            reproduction: "tapedeck run --only '\(id)' --seed \(seed)",
            wireExcerpt: wire, clientLog: log
        )
    }

    static func report(_ results: [ScenarioResult], startedAt: String = "2026-11-22T10:00:00Z", duration: Double = 12.5, selection: String = "--chunking adversarial") -> RunReport {
        RunReport(tool: "tapedeck 0.1.0", startedAt: startedAt, duration: duration, client: client, selection: selection, results: results)
    }

    /// One scenario per verdict, over two surfaces.
    static var everyVerdict: RunReport {
        report(Verdict.allCases.enumerated().map { index, verdict in
            result("case-\(index)-\(verdict.rawValue)@chunking=adversarial", verdict: verdict, surface: index % 2 == 0 ? "images.generate" : "responses")
        })
    }

    /// Text that breaks naive XML writers.
    static let oddText = "a]]>b <tag> & \"quoted\" 'single' \u{0}nul \u{1}soh \u{1B}[31mred\u{1B}[0m tab\there\r\nCRLF \u{FFFD} \u{FFFE} 😀 ünï"

    static var oddCharacters: RunReport {
        var odd = result("odd <&> ]]> \u{0}@chunking=bytes", verdict: .fail, strategy: "bytes", wire: oddText, log: oddText)
        odd.violations = [Violation(ruleID: "CLIENT-002", level: "MUST", statement: oddText, source: oddText, expected: oddText, observed: oddText)]
        odd.file = "Cassettes/odd \u{1}.cassette.json"
        var skipped = result("skipped-odd@chunking=bytes", verdict: .skipped, strategy: "bytes", reason: oddText)
        skipped.reproduction = oddText
        return report([odd, skipped], selection: oddText)
    }

    /// `count` scenarios over three surfaces and four strategies, every verdict represented.
    static func large(_ count: Int) -> RunReport {
        let surfaces = ["images.generate", "images.edit", "responses"]
        let strategies = ["whole", "bytes", "random", "adversarial"]
        return report((0..<count).map { index in
            let padded = String(repeating: "0", count: max(0, 5 - String(index).count)) + String(index)
            return result(
                "case-\(padded)@chunking=\(strategies[index % 4])",
                verdict: Verdict.allCases[index % Verdict.allCases.count],
                surface: surfaces[index % 3], strategy: strategies[index % 4], seed: UInt64(index)
            )
        })
    }
}
