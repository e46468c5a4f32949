/// Which shard of the suite this run is: given as `i/n`, or read from the CI's own variables
/// with `auto`, so a pipeline's matrix needs no arithmetic of its own.
public struct CIShard: Sendable, Equatable {
    /// 1-based.
    public let index: Int
    public let count: Int
    /// Where `auto` found it, such as `GitLab CI_NODE_INDEX/CI_NODE_TOTAL`; nil for `i/n`.
    public let source: String?

    /// The CI systems `auto` reads, in the order it looks: the index variable, the total
    /// variable, and whether the index counts from 1.
    static let systems: [(name: String, index: String, total: String, firstIndex: Int)] = [
        ("GitLab", "CI_NODE_INDEX", "CI_NODE_TOTAL", 1),
        ("CircleCI", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0),
        ("Buildkite", "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0),
    ]

    static let usage = "--shard takes i/n with 1 ≤ i ≤ n (such as 2/4), auto (GitLab CI_NODE_INDEX/CI_NODE_TOTAL, CircleCI CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL, Buildkite BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT), or auto/n with a Kubernetes indexed Job's JOB_COMPLETION_INDEX; on GitHub Actions give the matrix's own index: --shard ${{ matrix.shard }}/n"

    /// - Parameter environment: the process's variables (`auto` reads them).
    public static func parse(_ text: String, environment: [String: String]) throws(SuiteError) -> CIShard {
        if text == "auto" || text.hasPrefix("auto/") {
            return try automatic(total: text == "auto" ? nil : Int(text.dropFirst(5)), text: text, environment: environment)
        }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw .badSelection("\(usage); got '\(text)'")
        }
        return CIShard(index: index, count: count, source: nil)
    }

    private static func automatic(total given: Int?, text: String, environment: [String: String]) throws(SuiteError) -> CIShard {
        if text != "auto", (given ?? 0) < 1 { throw .badSelection("\(usage); got '\(text)'") }
        if let given, let raw = environment["JOB_COMPLETION_INDEX"] {
            guard let index = Int(raw), (0..<given).contains(index) else {
                throw .badSelection("--shard \(text): JOB_COMPLETION_INDEX is '\(raw)', not an index from 0 to \(given - 1)")
            }
            return CIShard(index: index + 1, count: given, source: "Kubernetes JOB_COMPLETION_INDEX")
        }
        for system in systems {
            guard let rawIndex = environment[system.index], let rawTotal = environment[system.total] else { continue }
            guard let index = Int(rawIndex), let total = Int(rawTotal), total >= 1,
                  (system.firstIndex..<(total + system.firstIndex)).contains(index) else {
                throw .badSelection("--shard \(text): \(system.name)'s \(system.index)=\(rawIndex) and \(system.total)=\(rawTotal) do not name a shard")
            }
            if let given, given != total {
                throw .badSelection("--shard \(text) says \(given) shards, but \(system.name)'s \(system.total) is \(total)")
            }
            return CIShard(index: index - system.firstIndex + 1, count: total, source: "\(system.name) \(system.index)/\(system.total)")
        }
        // Every shard of a misconfigured matrix would run the whole suite and pass.
        throw .badSelection("--shard \(text) found no shard variables in the environment. \(usage)")
    }
}
