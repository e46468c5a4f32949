/// The text bodies of a JUnit report: failure details and the per-scenario blocks of the
/// suite's `system-out` and `system-err`. Plain text; the writer escapes it.
enum JUnitText {
    /// Every violation's expected and observed, then how to reproduce.
    static func failureText(_ result: ScenarioResult) -> String {
        var lines: [String] = []
        for violation in result.violations {
            lines.append("\(violation.ruleID) \(violation.level): \(violation.statement)")
            lines.append("  expected: \(violation.expected)")
            lines.append("  observed: \(violation.observed)")
            if !violation.source.isEmpty { lines.append("  source: \(violation.source)") }
        }
        lines.append(contentsOf: reproductionLines(result))
        return lines.joined(separator: "\n") + "\n"
    }

    static func errorText(_ result: ScenarioResult) -> String {
        var lines = ["The harness could not run this scenario; the verdict says nothing about the client."]
        if let reason = result.reason { lines.append("reason: \(reason)") }
        lines.append(contentsOf: reproductionLines(result))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A scenario's facts for the suite's `system-out`.
    static func scenarioBlock(_ result: ScenarioResult, outcome: JUnitOutcome) -> String {
        var lines = ["== \(result.id) (\(result.verdict.rawValue))"]
        lines.append("scenario: \(result.scenario)")
        lines.append("source: \(result.source)")
        if !result.faults.isEmpty { lines.append("faults: \(result.faults.joined(separator: ", "))") }
        lines.append(contentsOf: reproductionLines(result))
        if case .passedWithNotes(let violations) = outcome {
            lines.append("passed, but broke a SHOULD (an error only under --strict):")
            for violation in violations {
                lines.append("  \(violation.ruleID) \(violation.level): \(violation.statement) (expected \(violation.expected), observed \(violation.observed))")
            }
        }
        if let reason = result.reason, result.verdict == .skipped { lines.append("skipped: \(reason)") }
        if !result.wireExcerpt.isEmpty {
            lines.append("wire:")
            lines.append(result.wireExcerpt)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func clientLogBlock(_ result: ScenarioResult) -> String {
        "== \(result.id)\n\(result.clientLog)\(result.clientLog.hasSuffix("\n") ? "" : "\n")"
    }

    private static func reproductionLines(_ result: ScenarioResult) -> [String] {
        ["seed: \(result.seed)", "reproduce: \(result.reproduction)"]
    }
}

extension ScenarioResult {
    /// The verdict in words, as a test runner shows a failed test: every violation's expected
    /// and observed, then how to reproduce; the reason for an error or a skip.
    public var explanation: String {
        switch verdict {
        case .pass: "passed\n"
        case .fail, .nonStrict: JUnitText.failureText(self)
        case .error: JUnitText.errorText(self)
        case .skipped: "skipped: \(reason ?? "no reason given")\n"
        }
    }
}
