/// How many scenarios ended in each verdict.
public struct VerdictCounts: Hashable, Sendable {
    public private(set) var byVerdict: [Verdict: Int] = [:]

    public init() {}

    public init<Results: Sequence>(_ results: Results) where Results.Element == ScenarioResult {
        for result in results { add(result.verdict) }
    }

    public mutating func add(_ verdict: Verdict) { byVerdict[verdict, default: 0] += 1 }

    public subscript(verdict: Verdict) -> Int { byVerdict[verdict] ?? 0 }

    public var total: Int { byVerdict.values.reduce(0, +) }

    /// `pass 500  fail 12  non-strict 0  error 0  skipped 3`, every verdict always shown so that
    /// columns line up from one line to the next.
    public var text: String {
        Verdict.allCases.map { "\($0.rawValue) \(self[$0])" }.joined(separator: "  ")
    }
}
