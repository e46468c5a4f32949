/// Why a scenario did not pass, as a cause many scenarios share: the rule that failed first (a
/// MUST before a SHOULD; the harness error for an error) under the condition the scenario set
/// up (its faults by kind, then its rewrites such as `eol=cr`). How the stream was cut and
/// seeded, which images and which shape are left out: a client that ignores error events does
/// so in every one of them. The terminal summary and the HTML page group by it.
public struct FailureCause: Hashable, Sendable {
    public var rule: String
    public var statement: String
    public var condition: String

    /// The cause of a scenario that failed, broke a SHOULD or errored; nil for a pass or a skip.
    public init?(_ result: ScenarioResult) {
        guard result.verdict != .pass, result.verdict != .skipped else { return nil }
        if let violation = result.violations.first(where: { $0.level == "MUST" }) ?? result.violations.first {
            (rule, statement) = (violation.ruleID, violation.statement)
        } else {
            rule = result.verdict == .error ? "harness error" : result.verdict.rawValue
            statement = (result.reason ?? "").split(separator: "\n").first.map(String.init) ?? ""
        }
        condition = Self.condition(of: result)
    }

    /// `CLIENT-004 under error-event`: what a page filters on and a summary prints.
    public var name: String { "\(rule) under \(condition)" }

    /// The faults by kind (`close-after-event:2` is `close-after-event`), then the rewrites;
    /// "as recorded" when the scenario set up neither.
    static func condition(of result: ScenarioResult) -> String {
        let faults = result.faults.map { fault in String(fault.prefix { $0 != ":" && $0 != "@" }) }
        let planning: Set<Substring> = ["chunking", "seed", "images", "time-scale", "fault", "default", "shape"]
        let rewrites = result.scenario.split(separator: ",").filter { part in
            !planning.contains(part.prefix { $0 != "=" })
        }.map(String.init)
        let parts = faults + rewrites
        return parts.isEmpty ? "as recorded" : parts.joined(separator: " + ")
    }

    /// The causes of `results` with the scenarios each covers, largest first (ties in order of
    /// first appearance).
    public static func grouped(_ results: [ScenarioResult]) -> [(cause: FailureCause, results: [ScenarioResult])] {
        var order: [FailureCause] = []
        var members: [FailureCause: [ScenarioResult]] = [:]
        for result in results {
            guard let cause = FailureCause(result) else { continue }
            if members[cause] == nil { order.append(cause) }
            members[cause, default: []].append(result)
        }
        return order.enumerated().sorted { a, b in
            let (left, right) = (members[a.element]!.count, members[b.element]!.count)
            return left != right ? left > right : a.offset < b.offset
        }.map { ($0.element, members[$0.element]!) }
    }
}
