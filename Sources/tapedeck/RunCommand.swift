import ArgumentParser
import Cassette
import Conformance
import Foundation
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

    @Option(help: ArgumentHelp("Scenarios run at the same time.", valueName: "N"))
    var jobs = 2

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Seconds a client has for one scenario (default: 30, or a minute beyond the longest silence of --profile).", valueName: "seconds"))
    var timeoutOption: Double?

    @OptionGroup var selection: SuiteOptions
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
        if let timeoutOption, !(timeoutOption > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        let silence = SuiteSelection.longestSilence(selection.patience)
        if let timeoutOption, timeoutOption <= silence {
            throw ValidationError("--timeout \(timeoutOption) is shorter than the \(Int(silence)) s silences of --profile \(selection.profile): every client would be killed while it waits; give more, or leave --timeout out")
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
            resolvedShard = try selection.resolvedShard()
        } catch {
            printError("tapedeck run: \(error)")
            throw ExitStatus.usage
        }
        do {
            catalog = try SpecsLocation.load(explicit: specOptions.specs)
            suite = try selection.build(catalog: catalog, shard: resolvedShard)
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
        runConfiguration.sourceOptions = ([selection.cassettes.map { "--cassettes " + ShellText.quoted($0) }, specOptions.specs.map { "--specs " + ShellText.quoted($0) }]
            .compactMap { $0 } + selection.scenarioOptions).joined(separator: " ")
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
            selection: selection.selectionText(shard: resolvedShard),
            results: results
        )
        try RunReportFiles.write(report, to: out, strict: strict, command: "run")
        print(Summary(strict: strict).render(report))
        print("reports: \(out)/index.html, \(out)/junit.xml, \(out)/run.json")
        let outcome = ExitPolicy.outcome(of: results, strict: strict)
        if outcome != .passed { throw ExitCode(outcome.rawValue) }
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

    /// Seconds a client has.
    private var timeout: Double { selection.timeout(given: timeoutOption) }
}
