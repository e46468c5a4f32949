/// The exit status of a conformance run, from its results:
///
/// | status | when |
/// |---|---|
/// | 0 | every scenario passed or was skipped; non-strict results too, unless `strict` |
/// | 1 | a scenario failed (broke a MUST), or under `strict` broke a SHOULD |
/// | 2 | a scenario ended in `error`: the harness could not run it, so the run's verdict cannot be trusted; 2 wins over 1 |
///
/// Skipped scenarios never fail a run: the client declared that it does not support them.
public enum ExitPolicy {
    public enum Outcome: Int32, Sendable, CaseIterable {
        case passed = 0
        case failed = 1
        case harnessError = 2
    }

    public static func outcome<Results: Sequence>(of results: Results, strict: Bool) -> Outcome where Results.Element == ScenarioResult {
        var outcome = Outcome.passed
        for result in results {
            switch result.verdict {
            case .error: return .harnessError
            case .fail: outcome = .failed
            case .nonStrict where strict: outcome = .failed
            case .pass, .skipped, .nonStrict: break
            }
        }
        return outcome
    }

    /// Whether one result counts against the run.
    public static func counts(_ result: ScenarioResult, strict: Bool) -> Bool {
        switch result.verdict {
        case .fail, .error: true
        case .nonStrict: strict
        case .pass, .skipped: false
        }
    }
}
