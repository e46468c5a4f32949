import ArgumentParser
import Conformance
import Foundation
import ImageStreamSpec
import MockServer
import Reports

struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Serve the conformance suite to a test runner whose own tests are the client, and judge what each test observed.",
        discussion: """
        For a test runner (the pytest plugin in clients/python, or your own): starts the mock \
        server on 127.0.0.1 with the suite of `tapedeck run` (the same selection options), \
        prints one hello line, then answers one JSON line per JSON line read on standard input \
        (docs/client-contract.md, "Session protocol"):

          {"op": "list"}                   the scenarios: id, surface, strategy, variation, shape, capabilities
          {"op": "begin", "id": ID}        the scenario's job: base_url, request (request.json), output folder, timeout
          {"op": "judge", "id": ID}        the verdict on what the test wrote into the output folder, with every
                                           violation's expected and observed, judged by the rules of `tapedeck run`

        The session ends when standard input closes; with --out it then writes the reports of \
        what was judged, as `tapedeck run` does.

        Examples:
          tapedeck session --filter '^images-generate-' --fault none+truncate-final-image
          tapedeck session --chunking adversarial --seeds 3 --out Reports/pytest
        """
    )

    @OptionGroup var selection: SuiteOptions

    @Option(help: ArgumentHelp("What the tests can do, comma-separated (default: all). Scenarios needing more are skipped with the reason.", valueName: "list"))
    var capabilities: String?

    @Option(help: ArgumentHelp("Seconds a test has for one scenario: longer fails CLIENT-008 (default: 30, or a minute beyond the longest silence of --profile).", valueName: "seconds"))
    var timeout: Double?

    @Option(help: "The port; 0 picks a free one.")
    var port = 0

    @Option(help: ArgumentHelp("Where each scenario's request.json, uploads and output folder go (default: a new folder under the system's temporary folder).", valueName: "folder"))
    var work: String?

    @Option(help: ArgumentHelp("Write run.json, junit.xml and index.html of the judged scenarios here when the session ends.", valueName: "folder"))
    var out: String?

    @OptionGroup var specOptions: SpecOptions

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        MemoryTuning.returnLargeBlocks()
        let started = Date()
        let catalog: SpecCatalog
        let suite: [SuiteCase]
        let shard: CIShard?
        do {
            shard = try selection.resolvedShard()
            catalog = try SpecsLocation.load(explicit: specOptions.specs)
            suite = try selection.build(catalog: catalog, shard: shard)
        } catch SuiteError.emptySelection(let reason) {
            printError("tapedeck session: \(reason)")
            throw ExitStatus.usage
        } catch let error as SuiteError {
            printError("tapedeck session: \(error)")
            throw ExitStatus.usage
        } catch {
            printError("tapedeck session: \(error)")
            throw ExitStatus.harnessFailure
        }
        var configuration = ConformanceRunner.Configuration()
        configuration.timeout = selection.timeout(given: timeout)
        configuration.workDirectory = work ?? NSTemporaryDirectory() + "tapedeck-session-\(ProcessInfo.processInfo.processIdentifier)"
        configuration.capabilities = capabilities.map { $0.split(separator: ",").map(String.init) } ?? ClientCapabilities.all
        configuration.sourceOptions = ([selection.cassettes.map { "--cassettes " + ShellText.quoted($0) }, specOptions.specs.map { "--specs " + ShellText.quoted($0) }]
            .compactMap { $0 } + selection.scenarioOptions).joined(separator: " ")
        let session: ConformanceSession
        do {
            session = try await ConformanceSession.start(suite, configuration: configuration, catalog: catalog, port: port)
        } catch {
            printError("tapedeck session: cannot start the server: \(error)")
            throw ExitStatus.harnessFailure
        }
        let conversation = SessionConversation(session: session)
        conversation.reply(SessionHello(base_url: session.baseURL, scenarios: suite.count, work: configuration.workDirectory, timeout: configuration.timeout))
        for await line in StandardInputLines.stream() {
            await conversation.answer(line)
        }
        await session.close()
        guard let out else { return }
        let report = RunReport(
            tool: "tapedeck \(TapedeckVersion.current)",
            startedAt: ISO8601DateFormatter().string(from: started),
            duration: Date().timeIntervalSince(started),
            client: ClientInfo(mode: "session", name: "test runner", capabilities: configuration.capabilities.sorted()),
            selection: selection.selectionText(shard: shard),
            results: await conversation.judged()
        )
        try RunReportFiles.write(report, to: out, strict: false, command: "session")
    }
}

/// The session protocol's messages (docs/client-contract.md, "Session protocol").
struct SessionHello: Encodable {
    var protocol_ = "tapedeck-session/1"
    var base_url: String
    var scenarios: Int
    var work: String
    var timeout: Double

    enum CodingKeys: String, CodingKey {
        case protocol_ = "protocol", base_url, scenarios, work, timeout
    }
}

struct SessionRequest: Decodable {
    var op: String
    var id: String?
    /// For `judge`: the line that reruns this test, shown in place of `tapedeck run`'s.
    var reproduction: String?
    /// For `judge`: what the test printed, kept in the reports.
    var log: String?
}

struct SessionScenario: Encodable {
    var id: String
    var surface: String
    var dialect: String
    var strategy: String
    var variation: String
    var shape: String
    var capabilities: [String]
}

struct SessionJob: Encodable {
    var id: String
    var base_url: String
    var api_key = "sk-tapedeck-dummy"
    var request: String
    var output: String
    var timeout: Double
    /// Whether a conformant client succeeds (CLIENT-001), and why it must report an error.
    var success_required: Bool
    var error_required: String?
}

struct SessionReply: Encodable {
    var id: String?
    var scenarios: [SessionScenario]?
    var job: SessionJob?
    /// The scenario's result: skipped or in error at `begin`, judged at `judge`.
    var result: ScenarioResult?
    /// The result in words, as a failed test shows it.
    var explanation: String?
    var error: String?
}

/// Answers the test runner's lines in order; keeps the scenarios begun and the results judged.
actor SessionConversation {
    let session: ConformanceSession
    private var pending: [String: PendingScenario] = [:]
    private var results: [ScenarioResult] = []

    init(session: ConformanceSession) {
        self.session = session
    }

    func judged() -> [ScenarioResult] { results }

    nonisolated func reply(_ message: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // One line each: JSONEncoder escapes the newlines inside strings.
        let data = (try? encoder.encode(message)) ?? Data(#"{"error":"the reply could not be encoded"}"#.utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    func answer(_ line: String) async {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        guard let request = try? JSONDecoder().decode(SessionRequest.self, from: Data(line.utf8)) else {
            return reply(SessionReply(error: "each line must be a JSON object with an `op`: list, begin or judge; this one starts \(String(reflecting: String(line.prefix(60))))"))
        }
        switch request.op {
        case "list":
            reply(SessionReply(scenarios: session.cases.map {
                SessionScenario(id: $0.id, surface: $0.surface, dialect: $0.dialect, strategy: $0.strategy, variation: $0.variation, shape: $0.shape, capabilities: $0.requiredCapabilities)
            }))
        case "begin":
            guard let id = request.id, let index = session.index(of: id) else {
                return reply(SessionReply(id: request.id, error: "no scenario \(String(reflecting: request.id ?? "")) in this session; {\"op\": \"list\"} lists them"))
            }
            switch await session.begin(index) {
            case .over(let result):
                results.append(result)
                reply(SessionReply(id: id, result: result, explanation: result.explanation))
            case .ready(let scenario):
                pending[id] = scenario
                let job = scenario.job
                reply(SessionReply(id: id, job: SessionJob(id: id, base_url: job.baseURL, request: job.requestFile, output: job.outputDirectory, timeout: job.timeout,
                                                               success_required: scenario.successRequired, error_required: scenario.errorRequired)))
            }
        case "judge":
            guard let id = request.id, let scenario = pending.removeValue(forKey: id) else {
                return reply(SessionReply(id: request.id, error: "the scenario \(String(reflecting: request.id ?? "")) was not begun, or was judged already: send {\"op\": \"begin\", \"id\": …} first"))
            }
            var result: ScenarioResult
            do {
                var observation = try Observation.read(from: scenario.job.outputDirectory)
                observation.log = request.log ?? ""
                result = session.finish(scenario, observedInTest: observation)
            } catch {
                result = session.finish(scenario, error: error)
            }
            if let reproduction = request.reproduction { result.reproduction = reproduction }
            results.append(result)
            // The trace (timeline, thumbnails) is for the reports, not the reply line.
            result.trace = nil
            reply(SessionReply(id: id, result: result, explanation: result.explanation))
        default:
            reply(SessionReply(id: request.id, error: "unknown op \(String(reflecting: request.op)); ops: list, begin, judge"))
        }
    }
}

/// Standard input's lines, read on a thread of their own (a blocking read must not hold a
/// thread of the cooperative pool); the stream ends with the input.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            Thread.detachNewThread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
        }
    }
}
