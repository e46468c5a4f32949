import Cassette
import Delivery
import Foundation
import ImageStreamSpec
import MockServer

/// Expands a selection into the ordered list of scenarios. Deterministic: the same cassettes
/// and selection give the same scenarios in the same order on every machine, so shards of a
/// CI matrix cover the suite exactly once between them.
public enum SuiteBuilder {
    /// Loads every cassette of `cassetteFolder` and (unless the selection leaves them out) the
    /// WHATWG cases of `wireFolder` (default: `wire/` in the cassette folder), and builds the
    /// selected scenarios.
    public static func build(
        cassetteFolder: String,
        wireFolder: String? = nil,
        selection: SuiteSelection,
        catalog: SpecCatalog?
    ) throws(SuiteError) -> [SuiteCase] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: cassetteFolder).filter { $0.hasSuffix(Cassette.fileExtension) }.sorted()
        } catch {
            throw .unreadable(cassetteFolder, reason: error.localizedDescription)
        }
        var loaded: [(cassette: Cassette, file: String)] = []
        for name in names {
            let path = cassetteFolder + "/" + name
            do {
                loaded.append((try Cassette.load(from: path), path))
            } catch {
                throw .badCassette(path, reason: "\(error)")
            }
        }
        let wireCases = selection.includeWire ? try WireCase.load(from: wireFolder ?? cassetteFolder + "/wire") : []
        return try build(cassettes: loaded, wireCases: wireCases, selection: selection, catalog: catalog)
    }

    /// - Parameter catalog: Specs/, which says which surfaces have a live shape (`shape=live`)
    ///   and a failure event (`response-failed@K`); without it, every cassette is delivered in
    ///   its documented shape only, and failure-event variations everywhere.
    public static func build(
        cassettes: [(cassette: Cassette, file: String)],
        wireCases: [WireCase],
        selection: SuiteSelection,
        catalog: SpecCatalog? = nil
    ) throws(SuiteError) -> [SuiteCase] {
        var cases: [SuiteCase] = []
        let variations = try selection.variations.map { text throws(SuiteError) in (text, try parse(text == "none" ? "" : text)) }
        let shapes = try selection.shapes.map { text throws(SuiteError) in
            guard let shape = ResponseShape(rawValue: text) else {
                throw .badSelection("unknown shape '\(text)'; shapes: \(ResponseShape.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return shape
        }
        if selection.includeCassettes {
            for (cassette, file) in cassettes.sorted(by: { $0.cassette.name < $1.cassette.name }) {
                let isStream = cassette.isEventStream && cassette.response.status == 200
                let hasLiveShape = isStream && catalog.map { ServerDelivery.liveShape(surface: cassette.surface, dialect: cassette.dialect, catalog: $0) != nil } == true
                let hasFailureEvent = catalog.map { (try? $0.resolve(surface: cassette.surface))?.eventType(playing: .responseFailed) != nil } ?? true
                let cassetteShapes = shapes.filter { $0 == .documented || hasLiveShape }
                let servesImages = cassette.response.recording.bytes.firstRange(of: Array(ServedImages.placeholderBase.utf8)) != nil
                // An imported recording has no arrival chunks: replaying "recorded" would be "whole" again.
                let chunkings = cassette.provenance.hasArrivalChunks ? selection.chunkings : selection.chunkings.filter { $0 != "recorded" }
                for shape in cassetteShapes {
                    for chunking in chunkings {
                        for seed in seeds(for: chunking, count: selection.seeds) {
                            for (variationText, variation) in variations {
                                if !isStream, SuiteSelection.rewritesEventsOnly(variation) { continue }
                                if cassette.response.status != 200, variation.faults.contains(where: { if case .httpStatus = $0 { true } else { false } }) { continue }
                                if !hasFailureEvent, variation.faults.contains(where: { if case .responseFailed = $0 { true } else { false } }) { continue }
                                if !servesImages, variation.faults.contains(where: { if case .urlImage = $0 { true } else { false } }) { continue }
                                // A variation that names its own shape is delivered once, in that shape.
                                if variation.shape != .documented, shape != cassetteShapes.first { continue }
                                var scenario = variation
                                if variation.shape == .documented { scenario.shape = shape }
                                cases.append(try make(.cassette(cassette, file: file), chunking: chunking, seed: seed, variationText: variationText, variation: scenario))
                            }
                        }
                    }
                }
                // Real sizes on the wire, in the shape real servers send.
                guard cassette.response.status == 200 else { continue }
                let hasProgress = catalog.map { (try? $0.resolve(surface: cassette.surface, dialect: cassette.dialect))?.progress != nil } ?? false
                if hasProgress {
                    for text in selection.progress {
                        var scenario = try parse(text)
                        scenario.timeScale = 0.25
                        cases.append(try make(.cassette(cassette, file: file), chunking: "whole", seed: 0, variationText: text, variation: scenario))
                    }
                }
                // Silences, in the shape real servers send, delivered whole: only the wait differs.
                if isStream {
                    for text in selection.patience {
                        var scenario = try parse(text)
                        scenario.shape = hasLiveShape && shapes.contains(.live) ? .live : .documented
                        cases.append(try make(.cassette(cassette, file: file), chunking: "whole", seed: 0, variationText: text, variation: scenario))
                    }
                }
                for chunking in selection.fullSizeChunkings {
                    for seed in seeds(for: chunking, count: selection.seeds) {
                        let shape: ResponseShape = hasLiveShape && shapes.contains(.live) ? .live : .documented
                        let scenario = Scenario(shape: shape, images: .fullSize)
                        cases.append(try make(.cassette(cassette, file: file), chunking: chunking, seed: seed, variationText: "images=full-size", variation: scenario))
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
        let built = cases.count
        let example = cases.first?.id ?? ""
        if let filter = selection.filter {
            let pattern: NSRegularExpression
            do {
                pattern = try NSRegularExpression(pattern: filter)
            } catch {
                throw .badSelection("--filter '\(filter)' is not a regular expression: \(error.localizedDescription)")
            }
            cases = cases.filter { pattern.firstMatch(in: $0.id, range: NSRange($0.id.startIndex..., in: $0.id)) != nil }
            // A mistyped filter in CI must not pass with nothing run.
            if cases.isEmpty, built > 0 {
                throw .emptySelection("--filter '\(filter)' matches none of the \(built) scenarios; `tapedeck run --list` prints their IDs, such as \(example)")
            }
        }
        if cases.isEmpty {
            throw .emptySelection("the selection has no scenario: no cassette or WHATWG case was loaded, or every dimension is empty")
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
        return SuiteCase(id: "\(name)@\(text)", source: source, scenario: scenario, scenarioText: text, strategy: chunking.hasPrefix("fixed") ? "fixed" : chunking, variation: variationText, shape: scenario.shape.rawValue)
    }
}
