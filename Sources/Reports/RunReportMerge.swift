import Foundation

extension RunReport {
    /// Joins the shards of one suite (`tapedeck run --shard K/N`, each run on its own machine or
    /// job) into the report an unsharded run would have written.
    ///
    /// - Results are sorted by ID; an ID in two shards is refused, naming it.
    /// - The run starts when the first shard started, and lasts until the last shard ended, so
    ///   shards run side by side count once and shards run one after another add up. When a
    ///   start time cannot be read, the longest shard's duration is used.
    /// - The selections, different per shard, are joined with `; ` (each once, in shard order).
    /// - The client must be the same in every shard (mode and name); capabilities are united.
    public static func merged(_ shards: [RunReport]) throws(ReportFileError) -> RunReport {
        guard let first = shards.first else { throw .nothingToMerge }
        var seenIDs = Set<String>()
        var results: [ScenarioResult] = []
        var capabilities = first.client.capabilities
        for shard in shards {
            if shard.client.mode != first.client.mode || shard.client.name != first.client.name {
                throw .differentClients("\(first.client.name) (\(first.client.mode))", "\(shard.client.name) (\(shard.client.mode))")
            }
            for capability in shard.client.capabilities where !capabilities.contains(capability) {
                capabilities.append(capability)
            }
            for result in shard.results {
                guard seenIDs.insert(result.id).inserted else { throw .duplicateScenario(id: result.id) }
                results.append(result)
            }
        }
        results.sort { $0.id < $1.id }

        var client = first.client
        client.capabilities = capabilities
        let (startedAt, duration) = span(of: shards)
        return RunReport(
            tool: distinct(shards.map(\.tool)).joined(separator: ", "),
            startedAt: startedAt,
            duration: duration,
            client: client,
            selection: distinct(shards.map(\.selection)).joined(separator: "; "),
            results: results
        )
    }

    /// The earliest start and the time from it to the latest end.
    private static func span(of shards: [RunReport]) -> (startedAt: String, duration: Double) {
        let starts = shards.map { JUnitFormatting.date($0.startedAt) }
        guard !starts.contains(nil) else {
            return (shards.map(\.startedAt).min() ?? "", shards.map(\.duration).max() ?? 0)
        }
        let dates = starts.map { $0! }
        let earliest = dates.min()!
        let end = zip(dates, shards).map { $0.addingTimeInterval($1.duration) }.max()!
        let earliestText = shards[dates.firstIndex(of: earliest)!].startedAt
        return (earliestText, end.timeIntervalSince(earliest))
    }

    private static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
