import ArgumentParser
import Cassette
import Conformance
import Delivery
import Foundation
import HTMLReport
import ImageStreamSpec
import MockServer
import Reports

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive a client through the conformance suite and report a verdict per scenario.",
        discussion: """
        Starts the mock server on 127.0.0.1 with the suite's cassettes and the WHATWG parsing \
        cases, then hands the client one scenario after another: a cassette delivered with a \
        chunking strategy, a fault or rewrite, and a seed. What the client observed is judged \
        against what was delivered, and what it sent against what it was asked to send (rules \
        CLIENT-001…020, `tapedeck run --rules`).

        Each cassette is delivered in the documented shape and, where the live API differs \
        (the Responses API), as api.openai.com really sends it (shape=live in the scenario ID); \
        and once more with every image at its real size (images=full-size), so a client that \
        caps a line at 512 KiB, 1 MiB or 8 MiB fails, naming the size; and once silent for a \
        while before the first event, with and without keep-alive comments (--profile: quick \
        is a second, slow a minute and a half, as a real 4K job).

        The client is Tapedeck's in-process reference client unless --client (a command run \
        once per scenario) or --client-service (a long-lived process fed scenarios as JSON \
        lines) is given; docs/client-contract.md says what such a client is given and writes.

        Reports go to --out (default Reports/): index.html for people (verdicts, diffs, the \
        partial-image filmstrip and the chunk timeline of each scenario that did not pass), \
        junit.xml for CI, run.json for machines (`tapedeck report merge` joins shards), and a \
        summary at the end. Exit 0 when every scenario passed (skipped and SHOULD-only \
        findings allowed unless --strict), 1 when one failed, 2 when the harness could not run \
        a scenario or the suite at all.

        Examples:
          tapedeck run
          tapedeck run --list --chunking adversarial --seeds 3
          tapedeck run --shape live --full-size none --filter '^responses-'
          tapedeck run --fault none --chunking whole --shape documented --full-size whole
          tapedeck run --client-service 'python clients/python/openai_sdk.py' --jobs 4
          tapedeck run --client 'node clients/node/fetch_client.mjs' --capabilities images.generate
          tapedeck run --shard 2/4 --out Reports/shard-2
        """
    )

    @Option(help: ArgumentHelp("A client command, started once per scenario through /bin/sh -c.", valueName: "command"))
    var client: String?

    @Option(help: ArgumentHelp("A client service command, started once per job slot and fed scenarios on standard input.", valueName: "command"))
    var clientService: String?

    @Option(help: ArgumentHelp("What a --client supports, comma-separated: images.generate, images.edit, responses, json, sse (default: all but sse). A service declares its own.", valueName: "list"))
    var capabilities: String?

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

    @Option(help: ArgumentHelp("Scenarios run at the same time.", valueName: "N"))
    var jobs = 2

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Seconds a client has for one scenario (default: 30, or a minute beyond the longest silence of --profile).", valueName: "seconds"))
    var timeoutOption: Double?

    @Option(help: ArgumentHelp("How long the patience scenarios are silent: quick (1 s before the first event, with and without keep-alive comments), slow (90 s before the first event and 30 s before the second, as a real 4K job), or none.", valueName: "profile"))
    var profile = "quick"

    @Option(help: ArgumentHelp("The report folder.", valueName: "folder"))
    var out = "Reports"

    @Flag(help: "List the scenarios that would run, and run none.")
    var list = false

    @Flag(help: "Print the client rules and exit.")
    var rules = false

    @Flag(help: "Count SHOULD-only findings (non-strict verdicts) as failures.")
    var strict = false

    @Flag(help: "Plain progress lines even on a terminal.")
    var plain = false

    @OptionGroup var specOptions: SpecOptions

    func validate() throws {
        if client != nil, clientService != nil { throw ValidationError("give --client or --client-service, not both") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if let timeoutOption, !(timeoutOption > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        guard profile == "none" || SuiteSelection.patienceProfiles[profile] != nil else {
            throw ValidationError("--profile: unknown profile '\(profile)'; profiles: \((SuiteSelection.patienceProfiles.keys.sorted() + ["none"]).joined(separator: ", "))")
        }
        let silence = SuiteSelection.longestSilence(patience)
        if let timeoutOption, timeoutOption <= silence {
            throw ValidationError("--timeout \(timeoutOption) is shorter than the \(Int(silence)) s silences of --profile \(profile): every client would be killed while it waits; give more, or leave --timeout out")
        }
        for name in shape?.split(separator: ",") ?? [] where ResponseShape(rawValue: String(name)) == nil {
            throw ValidationError("--shape: unknown shape '\(name)'; shapes: \(ResponseShape.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        MemoryTuning.returnLargeBlocks()
        if rules {
            for rule in ClientRule.all { print("\(rule.id)  \(rule.level.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(rule.statement)  [\(rule.source)]") }
            return
        }
        let started = Date()
        let suite: [SuiteCase]
        let catalog: SpecCatalog
        let resolvedShard: CIShard?
        do {
            resolvedShard = try shard.map { text throws(SuiteError) in try CIShard.parse(text, environment: ProcessInfo.processInfo.environment) }
        } catch {
            printError("tapedeck run: \(error)")
            throw ExitStatus.usage
        }
        do {
            catalog = try SpecsLocation.load(explicit: specOptions.specs)
            suite = try buildSuite(catalog: catalog, shard: resolvedShard)
        } catch SuiteError.emptySelection(let reason) {
            printError("tapedeck run: \(reason)")
            throw ExitStatus.usage
        } catch {
            printError("tapedeck run: \(error)")
            throw ExitStatus.harnessFailure
        }
        if list {
            for suiteCase in suite { print(suiteCase.id) }
            printError("\(suite.count) scenarios" + (resolvedShard.map { ", shard \($0.index)/\($0.count)" + ($0.source.map { " (from \($0))" } ?? "") } ?? ""))
            return
        }
        var runConfiguration = ConformanceRunner.Configuration()
        runConfiguration.jobs = jobs
        runConfiguration.timeout = timeout
        runConfiguration.workDirectory = out + "/work"
        runConfiguration.clientOptions = clientOptions
        runConfiguration.sourceOptions = ([cassettes.map { "--cassettes " + ShellText.quoted($0) }, specOptions.specs.map { "--specs " + ShellText.quoted($0) }]
            .compactMap { $0 } + suiteOptions).joined(separator: " ")
        try? FileManager.default.removeItem(atPath: runConfiguration.workDirectory)

        let driver: any ClientDriver
        var info: ClientInfo
        do {
            (driver, info) = try await makeDriver(workDirectory: runConfiguration.workDirectory)
        } catch {
            printError("tapedeck run: \(error)")
            throw ExitStatus.harnessFailure
        }
        runConfiguration.capabilities = info.capabilities
        let progress = RunProgress(total: suite.count, onTerminal: !plain && isatty(STDERR_FILENO) == 1)
        let results: [ScenarioResult]
        do {
            results = try await ConformanceRunner(configuration: runConfiguration, catalog: catalog).run(suite, driver: driver) { progress.record($0) }
        } catch {
            await driver.shutdown()
            printError("tapedeck run: the suite could not run: \(error)")
            throw ExitStatus.harnessFailure
        }
        await driver.shutdown()
        progress.finish()
        info.capabilities.sort()
        let report = RunReport(
            tool: "tapedeck \(TapedeckVersion.current)",
            startedAt: ISO8601DateFormatter().string(from: started),
            duration: Date().timeIntervalSince(started),
            client: info,
            selection: selectionText(shard: resolvedShard),
            results: results
        )
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try JSONReport.write(report, to: out + "/run.json")
            try JUnitWriter(strict: strict).write(report, to: out + "/junit.xml")
            try HTMLReportWriter.write(report, to: out + "/index.html")
        } catch {
            printError("tapedeck run: cannot write the reports in \(out): \(error)")
            throw ExitStatus.harnessFailure
        }
        print(Summary(strict: strict).render(report))
        print("reports: \(out)/index.html, \(out)/junit.xml, \(out)/run.json")
        let outcome = ExitPolicy.outcome(of: results, strict: strict)
        if outcome != .passed { throw ExitCode(outcome.rawValue) }
    }

    private func buildSuite(catalog: SpecCatalog, shard resolvedShard: CIShard?) throws -> [SuiteCase] {
        let folder = try cassettes ?? ProjectFolder.find("Cassettes", containing: "README.md", option: "--cassettes")
        var loaded: [(cassette: Cassette, file: String)] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(Cassette.fileExtension) }.sorted()
        for name in names {
            let path = folder + "/" + name
            do {
                loaded.append((try Cassette.load(from: path), path))
            } catch {
                throw SuiteError.badCassette(path, reason: "\(error)")
            }
        }
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
        let wireCases = noWire ? [] : try WireCase.load(from: wire ?? folder + "/wire")
        return try SuiteBuilder.build(cassettes: loaded, wireCases: wireCases, selection: selection, catalog: catalog)
    }

    private func makeDriver(workDirectory: String) async throws -> (any ClientDriver, ClientInfo) {
        if let command = clientService {
            try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
            let service = ServiceClient(command: command, slots: jobs, logDirectory: workDirectory)
            let hello = try await service.start(timeout: timeout)
            return (service, ClientInfo(mode: "service", name: hello.name, version: hello.version, command: command, capabilities: hello.capabilities))
        }
        if let command = client {
            let declared = capabilities.map { $0.split(separator: ",").map(String.init) } ?? ClientCapabilities.commandDefault
            return (CommandClient(command: command), ClientInfo(mode: "command", name: command, command: command, capabilities: declared))
        }
        return (ReferenceClient(), ClientInfo(mode: "reference", name: "tapedeck-reference", version: TapedeckVersion.current, capabilities: ClientCapabilities.all))
    }

    /// The options that decide how a scenario's client runs, as a rerun command must repeat them.
    private var clientOptions: String {
        let timeoutText = timeoutOption == nil ? "" : " --timeout \(timeout.rounded() == timeout ? String(Int(timeout)) : String(timeout))"
        if let clientService { return "--client-service " + ShellText.quoted(clientService) + timeoutText }
        if let client { return "--client " + ShellText.quoted(client) + (capabilities.map { " --capabilities " + ShellText.quoted($0) } ?? "") + timeoutText }
        return timeoutText.trimmingCharacters(in: .whitespaces)
    }

    /// The silences of `--profile`.
    private var patience: [String] { SuiteSelection.patienceProfiles[profile] ?? [] }

    /// Seconds a client has: as given, else 30, or a minute beyond the longest silence.
    private var timeout: Double {
        timeoutOption ?? max(30, SuiteSelection.longestSilence(patience) + 60)
    }

    /// The options that make the suite's scenarios (not which of them run): a reproduction
    /// command repeats them, or its `--filter` would name a scenario the default suite lacks.
    private var suiteOptions: [String] {
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

    private func selectionText(shard resolved: CIShard?) -> String {
        var parts = suiteOptions
        if let filter { parts.append("--filter " + ShellText.quoted(filter)) }
        if let resolved { parts.append("--shard \(resolved.index)/\(resolved.count)" + (resolved.source.map { " (\($0))" } ?? "")) }
        return parts.isEmpty ? "the default suite" : parts.joined(separator: " ")
    }
}
