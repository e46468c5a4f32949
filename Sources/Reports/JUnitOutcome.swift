/// How one scenario appears in JUnit, which knows only passed, failed, errored and skipped.
///
/// A non-strict result (only a SHOULD broken) follows the exit status (see ``ExitPolicy``):
/// without `--strict` the run still exits 0, so the test case passes and its broken SHOULDs are
/// listed in the suite's `system-out`; with `--strict` it is a `failure` whose type is `SHOULD`.
/// CI servers mark a build unstable on any `failure` in the report, whatever the exit status, so
/// a report that failed what the exit status passed would contradict it.
enum JUnitOutcome: Equatable {
    case passed
    /// Passed, but broke these SHOULDs.
    case passedWithNotes([Violation])
    /// `message` and `type` for the `failure` element.
    case failed(message: String, type: String)
    case errored(message: String)
    case skipped(message: String)

    init(_ result: ScenarioResult, strict: Bool) {
        switch result.verdict {
        case .pass:
            self = .passed
        case .nonStrict where !strict:
            self = .passedWithNotes(result.violations)
        case .nonStrict:
            let first = result.violations.first
            self = .failed(message: Self.headline(first) ?? "a SHOULD was broken", type: "SHOULD")
        case .fail:
            let first = result.violations.first { $0.level == "MUST" } ?? result.violations.first
            self = .failed(message: Self.headline(first) ?? "failed without a recorded violation", type: first?.ruleID ?? "MUST")
        case .error:
            self = .errored(message: result.reason ?? "the harness could not run this scenario")
        case .skipped:
            self = .skipped(message: result.reason ?? "skipped")
        }
    }

    private static func headline(_ violation: Violation?) -> String? {
        violation.map { "\($0.ruleID): \($0.statement)" }
    }

    var isFailure: Bool { if case .failed = self { true } else { false } }
    var isError: Bool { if case .errored = self { true } else { false } }
    var isSkipped: Bool { if case .skipped = self { true } else { false } }
}
