import Delivery
import Reports

/// Judges a client's patience: on a stream that was whole and conformant but silent for a
/// while, giving up is a failure of its own (CLIENT-020), told with how long the silence was
/// and whether keep-alive comments were arriving, so a client that counts only events as
/// activity is told why.
enum PatienceJudge {
    static func violations(scenario: Scenario, expected: ClientExpectation, observed: Observation) -> [Violation] {
        let silences = scenario.faults.compactMap { fault -> String? in
            guard case .silence(let seconds, let index, let every) = fault else { return nil }
            let comments = every.map { "a `: keep-alive` comment every \(Judge.format($0)) s" } ?? "no comment"
            return "\(Judge.format(seconds)) s of silence before event \(index) (\(comments))"
        }
        guard !silences.isEmpty, expected.successRequired, observed.reportedError, !observed.timedOut else { return [] }
        let rule = ClientRule.waitsThroughSilence
        let gaveUp = observed.error.map { "it gave up: \($0.message)" } ?? "it exited \(observed.exitCode)"
        let before = observed.events.isEmpty ? "before any event" : "after \(observed.events.count) event\(observed.events.count == 1 ? "" : "s")"
        return [Violation(ruleID: rule.id, level: rule.level.rawValue, statement: rule.statement, source: rule.source,
                          expected: Judge.bounded("to wait through " + silences.joined(separator: ", ") + ", then succeed"),
                          observed: Judge.bounded("\(gaveUp), \(before)"))]
    }
}
