import Cassette
import Delivery
import Foundation

/// Expands a selection into the ordered list of scenarios. Deterministic: the same cassettes
/// and selection give the same scenarios in the same order on every machine, so shards of a
/// CI matrix cover the suite exactly once between them.
public enum SuiteBuilder {
    public static func build(
        cassettes: [(cassette: Cassette, file: String)],
        wireCases: [WireCase],
        selection: SuiteSelection
    ) throws(SuiteError) -> [SuiteCase] {
        var cases: [SuiteCase] = []
        let variations = try selection.variations.map { text throws(SuiteError) in (text, try parse(text == "none" ? "" : text)) }
        if selection.includeCassettes {
            for (cassette, file) in cassettes.sorted(by: { $0.cassette.name < $1.cassette.name }) {
                for chunking in selection.chunkings {
                    for seed in seeds(for: chunking, count: selection.seeds) {
                        for (variationText, variation) in variations {
                            if !cassette.isEventStream || cassette.response.status != 200, SuiteSelection.rewritesEventsOnly(variation) { continue }
                            if cassette.response.status != 200, variation.faults.contains(where: { if case .httpStatus = $0 { true } else { false } }) { continue }
                            cases.append(try make(.cassette(cassette, file: file), chunking: chunking, seed: seed, variationText: variationText, variation: variation))
                        }
                    }
                }
            }
        }
        if selection.includeWire {
            for wire in wireCases.sorted(by: { $0.name < $1.name }) {
                for chunking in selection.wireChunkings {
                    for seed in seeds(for: chunking, count: selection.seeds) {
                        cases.append(try make(.wire(wire), chunking: chunking, seed: seed, variationText: "none", variation: Scenario()))
                    }
                }
            }
        }
        if let filter = selection.filter {
            let pattern: NSRegularExpression
            do {
                pattern = try NSRegularExpression(pattern: filter)
            } catch {
                throw .badSelection("--filter '\(filter)' is not a regular expression: \(error.localizedDescription)")
            }
            cases = cases.filter { pattern.firstMatch(in: $0.id, range: NSRange($0.id.startIndex..., in: $0.id)) != nil }
        }
        if let shard = selection.shard {
            cases = cases.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
        }
        return cases
    }

    private static func seeds(for chunking: String, count: Int) -> [UInt64] {
        chunking == "random" || chunking == "adversarial" ? (1...max(1, count)).map(UInt64.init) : [0]
    }

    private static func parse(_ text: String) throws(SuiteError) -> Scenario {
        do {
            return try Scenario(parsing: text)
        } catch {
            throw .badSelection("'\(text)' is not a delivery scenario: \(error)")
        }
    }

    private static func make(_ source: SuiteCase.Source, chunking: String, seed: UInt64, variationText: String, variation: Scenario) throws(SuiteError) -> SuiteCase {
        var scenario = variation
        scenario.chunking = try parse("chunking=\(chunking)").chunking
        scenario.seed = seed
        // Recorded timing is replayed without its pauses: the suite checks bytes and
        // boundaries, not patience. `tapedeck serve` keeps the pauses.
        if scenario.chunking == .recorded { scenario.timeScale = 0 }
        let text = scenario.description
        let name: String = switch source {
        case .cassette(let cassette, _): cassette.name
        case .wire(let wire): wire.name
        }
        return SuiteCase(id: "\(name)@\(text)", source: source, scenario: scenario, scenarioText: text, strategy: chunking.hasPrefix("fixed") ? "fixed" : chunking, variation: variationText)
    }
}
