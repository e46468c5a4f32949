import ArgumentParser
import Conformance
import Delivery
import Foundation
import ImageStreamSpec
import MockServer

/// Which scenarios make the suite: the cassettes and WHATWG cases, and how each is delivered.
/// `tapedeck run` and `tapedeck session` take the same options.
struct SuiteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The cassette folder (default: the nearest Cassettes/ above here or above the executable).", valueName: "folder"))
    var cassettes: String?

    @Option(help: ArgumentHelp("The WHATWG case folder (default: wire/ in the cassette folder).", valueName: "folder"))
    var wire: String?

    @Flag(help: "Leave out the WHATWG parsing cases.")
    var noWire = false

    @Option(help: ArgumentHelp("Chunking strategies, comma-separated (default: \(SuiteSelection.defaultChunkings.joined(separator: ","))).", valueName: "list"))
    var chunking: String?

    @Option(help: ArgumentHelp("Faults and rewrites, separated by '+' (each in the scenario grammar of `tapedeck serve --help`, 'none' for the response as it is). Default: \(SuiteSelection.defaultVariations.count) variations, from none to framing=length.", valueName: "list"))
    var fault: String?

    @Option(help: ArgumentHelp("Response shapes, comma-separated: documented (as the docs describe it) and live (as api.openai.com really sends it: no image_generation_call.completed, the item left at status generating, no [DONE], a partial image even when none was asked). Live applies where Specs/ gives the surface a live shape (the Responses API). Default: documented,live.", valueName: "list"))
    var shape: String?

    @Option(help: ArgumentHelp("Chunkings under which every cassette is delivered once more with images=full-size (real images of their full size: a 1024x1024 PNG is a 4 MB line, a 4K one 33 MB), comma-separated, or none. Default: \(SuiteSelection.defaultFullSizeChunkings.joined(separator: ",")).", valueName: "list"))
    var fullSize: String?

    @Option(help: ArgumentHelp("Seeds per seeded strategy (random, adversarial): 1…N.", valueName: "N"))
    var seeds = 1

    @Option(help: ArgumentHelp("Only scenarios whose ID matches this regular expression.", valueName: "regex"))
    var filter: String?

    @Option(help: ArgumentHelp("Run the i-th of n deterministic shards, such as 2/4; auto reads GitLab's, CircleCI's or Buildkite's parallel-job variables, and auto/n a Kubernetes indexed Job's JOB_COMPLETION_INDEX.", valueName: "i/n|auto|auto/n"))
    var shard: String?

    @Option(help: ArgumentHelp("How long the patience scenarios are silent: quick (1 s before the first event, with and without keep-alive comments), slow (90 s before the first event and 30 s before the second, as a real 4K job), or none.", valueName: "profile"))
    var profile = "quick"


    func validate() throws {
        if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        guard profile == "none" || SuiteSelection.patienceProfiles[profile] != nil else {
            throw ValidationError("--profile: unknown profile '\(profile)'; profiles: \((SuiteSelection.patienceProfiles.keys.sorted() + ["none"]).joined(separator: ", "))")
        }
        for name in shape?.split(separator: ",") ?? [] where ResponseShape(rawValue: String(name)) == nil {
            throw ValidationError("--shape: unknown shape '\(name)'; shapes: \(ResponseShape.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The silences of `--profile`.
    var patience: [String] { SuiteSelection.patienceProfiles[profile] ?? [] }

    /// Seconds a client has: as given, else 30, or a minute beyond the longest silence.
    func timeout(given: Double?) -> Double {
        given ?? max(30, SuiteSelection.longestSilence(patience) + 60)
    }

    /// The shard of `--shard`, read from the CI's variables for `auto`.
    func resolvedShard() throws(SuiteError) -> CIShard? {
        try shard.map { text throws(SuiteError) in try CIShard.parse(text, environment: ProcessInfo.processInfo.environment) }
    }

    /// Loads the cassettes and WHATWG cases and builds the selected scenarios; an empty
    /// selection is an error (SuiteError.emptySelection).
    func build(catalog: SpecCatalog, shard resolvedShard: CIShard?) throws -> [SuiteCase] {
        let folder = try cassettes ?? ProjectFolder.find("Cassettes", containing: "README.md", option: "--cassettes")
        var selection = SuiteSelection()
        if let chunking { selection.chunkings = chunking.split(separator: ",").map(String.init) }
        if let fault { selection.variations = fault.split(separator: "+").map(String.init) }
        if let shape { selection.shapes = shape.split(separator: ",").map(String.init) }
        if let fullSize { selection.fullSizeChunkings = fullSize == "none" ? [] : fullSize.split(separator: ",").map(String.init) }
        selection.seeds = seeds
        selection.filter = filter
        selection.includeWire = !noWire
        selection.patience = patience
        if let resolvedShard { selection.shard = (resolvedShard.index, resolvedShard.count) }
        return try SuiteBuilder.build(cassetteFolder: folder, wireFolder: wire, selection: selection, catalog: catalog)
    }

    /// The options that make the suite's scenarios (not which of them run): a reproduction
    /// command repeats them, or its `--filter` would name a scenario the default suite lacks.
    var scenarioOptions: [String] {
        var parts: [String] = []
        if let chunking { parts.append("--chunking \(chunking)") }
        if let fault { parts.append("--fault " + ShellText.quoted(fault)) }
        if let shape { parts.append("--shape \(shape)") }
        if let fullSize { parts.append("--full-size \(fullSize)") }
        if seeds != 1 { parts.append("--seeds \(seeds)") }
        if noWire { parts.append("--no-wire") }
        if profile != "quick" { parts.append("--profile \(profile)") }
        return parts
    }

    /// The selection in words for reports: its options, the filter and the shard.
    func selectionText(shard resolved: CIShard?) -> String {
        var parts = scenarioOptions
        if let filter { parts.append("--filter " + ShellText.quoted(filter)) }
        if let resolved { parts.append("--shard \(resolved.index)/\(resolved.count)" + (resolved.source.map { " (\($0))" } ?? "")) }
        return parts.isEmpty ? "the default suite" : parts.joined(separator: " ")
    }
}
