@testable import Conformance
import Testing

/// The suite is the same list everywhere, and shards split it exactly.
struct SuiteTests {
    static func defaultSuite(shard: (Int, Int)? = nil, filter: String? = nil) throws -> [SuiteCase] {
        var selection = SuiteSelection()
        selection.shard = shard.map { (index: $0.0, count: $0.1) }
        selection.filter = filter
        return try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: try Fixtures.wireCases(), selection: selection)
    }

    @Test("The bundled suite has more than a thousand scenarios with unique IDs, every surface and the WHATWG cases")
    func bundledSuite() throws {
        let suite = try Self.defaultSuite()
        #expect(suite.count > 1000)
        #expect(Set(suite.map(\.id)).count == suite.count)
        #expect(Set(suite.map(\.surface)) == ["images.generate", "images.edit", "responses", "sse"])
        #expect(suite.contains { $0.id.hasPrefix("wpt-format-bom@") })
        #expect(try Self.defaultSuite().map(\.id) == suite.map(\.id))
    }

    @Test("Shards are disjoint and together are the whole suite, in order", arguments: [2, 3, 7])
    func shards(count: Int) throws {
        let whole = try Self.defaultSuite().map(\.id)
        let shards = try (1...count).map { try Self.defaultSuite(shard: ($0, count)).map(\.id) }
        #expect(shards.reduce(0) { $0 + $1.count } == whole.count)
        #expect(Set(shards.flatMap { $0 }) == Set(whole))
        #expect(shards.allSatisfy { abs($0.count - whole.count / count) <= 1 })
    }

    @Test("A JSON body is not given stream-only rewrites, and a filter selects by ID")
    func selection() throws {
        let json = try Self.defaultSuite(filter: "^images-generate-json-n2@")
        #expect(!json.isEmpty)
        #expect(!json.contains { $0.scenarioText.contains("eol=") || $0.scenarioText.contains("truncate-final-image") })
        #expect(json.allSatisfy { $0.requiredCapabilities == ["images.generate", "json"] })
    }

    @Test("Selections that cannot work say why")
    func badSelections() {
        #expect(throws: SuiteError.self) { try SuiteSelection.parseShard("5/4") }
        #expect(throws: SuiteError.self) { try SuiteSelection.parseShard("1-4") }
        var selection = SuiteSelection()
        selection.variations = ["fault=nonsense"]
        #expect(throws: SuiteError.self) { try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection) }
        selection = SuiteSelection()
        selection.filter = "("
        #expect(throws: SuiteError.self) { try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection) }
    }

    @Test("--shard auto reads the CI's variables, each system counted from its own first index", arguments: [
        (["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3"], "auto", CIShard(index: 2, count: 3, source: "GitLab CI_NODE_INDEX/CI_NODE_TOTAL")),
        (["CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "4"], "auto", CIShard(index: 1, count: 4, source: "CircleCI CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL")),
        (["BUILDKITE_PARALLEL_JOB": "3", "BUILDKITE_PARALLEL_JOB_COUNT": "4"], "auto", CIShard(index: 4, count: 4, source: "Buildkite BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT")),
        (["JOB_COMPLETION_INDEX": "0"], "auto/5", CIShard(index: 1, count: 5, source: "Kubernetes JOB_COMPLETION_INDEX")),
        ([:], "3/8", CIShard(index: 3, count: 8, source: nil)),
    ] as [([String: String], String, CIShard)])
    func automaticShards(environment: [String: String], text: String, shard: CIShard) throws {
        #expect(try CIShard.parse(text, environment: environment) == shard)
    }

    @Test("--shard auto refuses when it finds nothing, or numbers that name no shard", arguments: [
        ([:], "auto", "found no shard variables"),
        (["JOB_COMPLETION_INDEX": "1"], "auto", "found no shard variables"),
        (["CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "3"], "auto", "do not name a shard"),
        (["CIRCLE_NODE_INDEX": "4", "CIRCLE_NODE_TOTAL": "4"], "auto", "do not name a shard"),
        (["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"], "auto/4", "says 4 shards, but GitLab's CI_NODE_TOTAL is 3"),
        (["JOB_COMPLETION_INDEX": "5"], "auto/5", "not an index from 0 to 4"),
        ([:], "auto/0", "--shard takes i/n"),
    ] as [([String: String], String, String)])
    func automaticShardErrors(environment: [String: String], text: String, message: String) {
        #expect {
            try CIShard.parse(text, environment: environment)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }
}
