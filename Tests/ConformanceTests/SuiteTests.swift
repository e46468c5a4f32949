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
}
