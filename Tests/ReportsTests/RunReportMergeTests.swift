import Reports
import Testing

@Suite("Merging shards of one run gives the report the unsharded run would have written")
struct RunReportMergeTests {
    /// The whole run, and the same results dealt round-robin into `count` shards, each with its
    /// own start, duration and selection.
    static func sharded(_ whole: RunReport, into count: Int) -> [RunReport] {
        (0..<count).map { shard in
            let results = whole.results.enumerated().filter { $0.offset % count == shard }.map(\.element)
            return Fixtures.report(results.reversed(), startedAt: "2026-11-22T10:00:0\(shard)Z", duration: 10, selection: "--chunking adversarial --shard \(shard + 1)/\(count)")
        }
    }

    @Test("Shards merge into the unsharded results, sorted by ID", arguments: [1, 2, 3, 7])
    func equalsUnsharded(shards: Int) throws {
        let whole = Fixtures.large(100)
        let merged = try RunReport.merged(Self.sharded(whole, into: shards))
        #expect(merged.results == whole.results.sorted { $0.id < $1.id })
        #expect(merged.client == whole.client)
        #expect(merged.format == RunReport.formatVersion)
        #expect(merged.tool == whole.tool)
        #expect(ExitPolicy.outcome(of: merged.results, strict: false) == ExitPolicy.outcome(of: whole.results, strict: false))
    }

    @Test("The run lasts from the first start to the last end")
    func duration() throws {
        let merged = try RunReport.merged(Self.sharded(Fixtures.large(10), into: 3))
        #expect(merged.startedAt == "2026-11-22T10:00:00Z")
        #expect(merged.duration == 12)
    }

    @Test("Unreadable start times fall back to the longest shard")
    func durationWithoutTimes() throws {
        let shards = [Fixtures.report([], startedAt: "later", duration: 4), Fixtures.report([], startedAt: "sooner", duration: 9)]
        #expect(try RunReport.merged(shards).duration == 9)
    }

    @Test("Selections are joined, each once")
    func selections() throws {
        let shards = Self.sharded(Fixtures.large(4), into: 2) + [Fixtures.report([], selection: "--chunking adversarial --shard 1/2")]
        #expect(try RunReport.merged(shards).selection == "--chunking adversarial --shard 1/2; --chunking adversarial --shard 2/2")
    }

    @Test("A scenario in two shards is refused, by name")
    func duplicate() {
        let shard = Fixtures.report([Fixtures.result("twice@chunking=bytes", verdict: .pass)])
        #expect(throws: ReportFileError.duplicateScenario(id: "twice@chunking=bytes")) {
            try RunReport.merged([shard, shard])
        }
        #expect("\(ReportFileError.duplicateScenario(id: "twice@chunking=bytes"))".contains("`twice@chunking=bytes` appears in more than one shard"))
    }

    @Test("Nothing to merge, or shards of different clients, are refused")
    func refused() {
        #expect(throws: ReportFileError.nothingToMerge) { try RunReport.merged([]) }
        var other = Fixtures.report([])
        other.client.name = "openai-node"
        #expect(throws: ReportFileError.differentClients("openai-python (command)", "openai-node (command)")) {
            try RunReport.merged([Fixtures.report([]), other])
        }
    }

    @Test("Capabilities declared by any shard are kept")
    func capabilities() throws {
        var other = Fixtures.report([])
        other.client.capabilities = ["responses", "sse"]
        #expect(try RunReport.merged([Fixtures.report([]), other]).client.capabilities == ["images.generate", "responses", "sse"])
    }
}
