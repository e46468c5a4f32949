import Cassette
import Delivery
import Foundation
import ImageStreamSpec
import MockServer
import Reports
import SessionTraces

/// Runs a suite against a client: starts the mock server on loopback with the suite's
/// cassettes and WHATWG cases, hands the client one scenario at a time (several at once with
/// `jobs`), and judges what it observed against what was delivered.
public struct ConformanceRunner: Sendable {
    public struct Configuration: Sendable {
        /// Scenarios run at the same time.
        public var jobs = 2
        /// Seconds a client has for one scenario.
        public var timeout = 30.0
        /// Where scenario folders go; those of scenarios that did not pass are kept.
        public var workDirectory = "Reports/work"
        /// What the client declares it can do; scenarios needing more are skipped.
        public var capabilities: [String] = ClientCapabilities.all
        /// The `tapedeck run` options that select this client, for reproduction commands.
        public var clientOptions = ""
        /// The `tapedeck run` options that select the suite's sources, for reproduction commands.
        public var sourceOptions = ""
        /// How many scenarios that did not pass keep their trace (timeline and filmstrip) for
        /// the report; the rest keep their verdict, diff and excerpt only.
        public var failingTraces = 200
        /// How many passing scenarios keep their trace, as samples of what passing looks like.
        public var passingTraces = 12
        /// Thumbnails in each trace.
        public var thumbnails = ThumbnailPolicy.scaled(maxSide: 120, byteBudget: 256 << 10)

        public init() {}
    }

    public let configuration: Configuration
    public let catalog: SpecCatalog

    public init(configuration: Configuration, catalog: SpecCatalog) {
        self.configuration = configuration
        self.catalog = catalog
    }

    /// Runs every case and returns one result per case, in the cases' order.
    /// `progress` is called once per finished scenario, from any task.
    public func run(
        _ cases: [SuiteCase],
        driver: any ClientDriver,
        progress: @escaping @Sendable (ScenarioResult) -> Void = { _ in }
    ) async throws -> [ScenarioResult] {
        let session = try await ConformanceSession.start(cases, configuration: configuration, catalog: catalog, writesRequestFiles: !(driver is ReferenceClient))
        var results = [ScenarioResult?](repeating: nil, count: cases.count)
        do {
            try await withThrowingTaskGroup(of: (Int, ScenarioResult).self) { group in
                var next = 0
                func addNext() {
                    guard next < cases.count else { return }
                    let index = next
                    next += 1
                    group.addTask { (index, await session.run(index, driver: driver)) }
                }
                for _ in 0..<max(1, configuration.jobs) { addNext() }
                while let (index, result) = try await group.next() {
                    results[index] = result
                    progress(result)
                    addNext()
                }
            }
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        return results.compactMap { $0 }
    }
}

/// The capabilities a client can declare (docs/client-contract.md, Capabilities).
public enum ClientCapabilities {
    public static let all = ["images.generate", "images.edit", "responses", "json", "sse", "progress"]
    /// What command mode assumes when none are given: all but the plain event-stream cases.
    public static let commandDefault = ["images.generate", "images.edit", "responses", "json"]
}

/// Everything one scenario needs, shared by all of them.
struct ScenarioContext: Sendable {
    let configuration: ConformanceRunner.Configuration
    let catalog: SpecCatalog
    let baseURL: String
    let uploads: UploadFiles
    /// Whether clients read `request.json` from disk (all but the in-process reference client).
    let writesRequestFiles: Bool
    /// The requests the server kept, by scenario.
    let journal: RequestJournal
    let traces: TraceBudget

    /// Hands out a scenario: its job (request.json written where a client reads it), and what
    /// the client must show, known before it runs. A scenario the client cannot run, or whose
    /// job cannot be prepared, is over at once.
    func begin(_ suiteCase: SuiteCase, number: Int) async -> ScenarioStart {
        let started = ContinuousClock.now
        var result = ScenarioResult(
            id: suiteCase.id, surface: suiteCase.surface, dialect: suiteCase.dialect, strategy: suiteCase.strategy,
            scenario: suiteCase.scenarioText, faults: suiteCase.scenario.faults.map(\.description), seed: suiteCase.scenario.seed,
            source: suiteCase.sourceName, file: Self.relative(suiteCase.file), verdict: .pass, duration: 0,
            reproduction: reproduction(suiteCase)
        )
        if let missing = suiteCase.requiredCapabilities.first(where: { !configuration.capabilities.contains($0) }) {
            result.verdict = .skipped
            result.reason = "the client does not declare the capability \(missing)"
            return .over(result)
        }
        // The planned body (a hundred megabytes at real image sizes) is not kept while the
        // client reads its own copy.
        var expectation: ClientExpectation
        do {
            let delivery = DeliveredResponse(suiteCase, catalog: catalog, imageBase: baseURL)
            result.wireExcerpt = WireExcerpt.make(Array(delivery.plan.body[0..<min(delivery.plan.deliveredByteCount, delivery.plan.body.count)]), maxBytes: 1_500)
            expectation = ClientExpectation.derive(plan: delivery.plan, status: delivery.status, surface: suiteCase.surface, isEventStream: delivery.isEventStream)
        }
        expectation = await expectation.resolvingURLs(timeout: configuration.timeout)
        let directory = "\(configuration.workDirectory)/\(number)-\(Self.folderName(suiteCase.id))"
        do {
            let job = try prepare(suiteCase, directory: directory)
            return .ready(PendingScenario(job: job, suiteCase: suiteCase, number: number, expectation: expectation, result: result, started: started))
        } catch {
            result.verdict = .error
            result.reason = "\(error)"
            result.duration = started.duration(to: .now).seconds
            return .over(result)
        }
    }

    /// Judges what the client observed, and what it sent, against its scenario.
    func finish(_ pending: PendingScenario, observation: Observation) -> ScenarioResult {
        let suiteCase = pending.suiteCase
        let job = pending.job
        var result = pending.result
        // Keyed as the server reads the URL the client was given.
        let requests = journal.take(RequestJournal.Key(scenario: try? Scenario(parsing: suiteCase.scenarioText), cassette: suiteCase.cassetteName, path: "/v1" + job.request.path))
        result.violations = Judge.violations(expected: pending.expectation, observed: observation, timeout: configuration.timeout)
        result.violations += PatienceJudge.violations(scenario: suiteCase.scenario, expected: pending.expectation, observed: observation)
        if let channel = job.request.progress {
            result.violations += ProgressJudge.violations(scenario: suiteCase.scenario, spec: channel.spec, expected: pending.expectation, observed: observation)
        }
        if !observation.timedOut {
            result.violations += RequestJudge.violations(requests, asked: job.request, spec: try? catalog.resolve(surface: suiteCase.surface, dialect: suiteCase.dialect))
        }
        result.clientLog = observation.log
        result.verdict = result.violations.contains { $0.level == ClientRule.Level.must.rawValue } ? .fail
            : result.violations.isEmpty ? .pass : .nonStrict
        if traces.take(passing: result.verdict == .pass) {
            // Planned again: the same bytes, and only for the few scenarios that keep a trace.
            result.trace = SessionTrace.of(DeliveredResponse(suiteCase, catalog: catalog, imageBase: baseURL), observed: observation, expectedFinals: pending.expectation.finals.count + pending.expectation.brokenFinals.count, thumbnails: configuration.thumbnails)
        }
        return ended(result, started: pending.started, directory: job.directory)
    }

    /// The harness failed while the client ran: the verdict is `error`.
    func finish(_ pending: PendingScenario, error: any Error) -> ScenarioResult {
        // Its requests are forgotten, as a judged scenario's are.
        _ = journal.take(RequestJournal.Key(scenario: try? Scenario(parsing: pending.suiteCase.scenarioText), cassette: pending.suiteCase.cassetteName, path: "/v1" + pending.job.request.path))
        var result = pending.result
        result.verdict = .error
        result.reason = "\(error)"
        return ended(result, started: pending.started, directory: pending.job.directory)
    }

    private func ended(_ result: ScenarioResult, started: ContinuousClock.Instant, directory: String) -> ScenarioResult {
        var result = result
        result.duration = started.duration(to: .now).seconds
        if result.verdict == .pass {
            try? FileManager.default.removeItem(atPath: directory)
        }
        return result
    }

    private func prepare(_ suiteCase: SuiteCase, directory: String) throws(HarnessError) -> ClientJob {
        let request: ClientRequest
        let base: String
        switch suiteCase.source {
        case .cassette(let cassette, _):
            var files: [FilePart] = []
            if case .form(_, let parts) = cassette.request.body { files = parts }
            // An edit always uploads an image; a cassette made without its form gets the one
            // the SDKs send: a PNG under image[].
            let isEdit = cassette.surface == "images.edit"
            if isEdit, files.isEmpty {
                files = [FilePart(name: "image[]", filename: "image.png", contentType: "image/png", size: 0, sha256: "")]
            }
            let path = cassette.request.path.hasPrefix("/v1/") ? String(cassette.request.path.dropFirst(3)) : cassette.request.path
            let fields = cassette.requestFieldsJSON
            let stream = fields.flatMap { try? JSONValue.parse($0) }?["stream"].map { $0 == .bool(true) || $0 == .string("true") } ?? false
            request = ClientRequest(
                surface: cassette.surface, method: cassette.request.method, path: path, stream: stream, bodyJSON: fields,
                isMultipart: isEdit || cassette.requestIsForm,
                files: try uploads.uploads(for: files),
                progress: suiteCase.scenario.usesProgress
                    ? (try? catalog.resolve(surface: cassette.surface, dialect: cassette.dialect).progress).flatMap { $0 }.map { ProgressChannel(baseURL: "\(baseURL)/s/\(suiteCase.scenarioText)/c/\(cassette.name)", spec: $0) }
                    : nil
            )
            base = "\(baseURL)/s/\(suiteCase.scenarioText)/c/\(cassette.name)/v1"
        case .wire(let wire):
            request = ClientRequest(surface: "sse", method: "GET", path: "/events/\(wire.name)", stream: true, bodyJSON: nil, isMultipart: false, files: [])
            base = "\(baseURL)/s/\(suiteCase.scenarioText)/v1"
        }
        let job = ClientJob(scenarioID: suiteCase.id, baseURL: base, request: request, directory: directory, timeout: configuration.timeout)
        guard writesRequestFiles else { return job }
        do {
            try FileManager.default.createDirectory(atPath: job.outputDirectory, withIntermediateDirectories: true)
            try Data(request.fileText().utf8).write(to: URL(fileURLWithPath: job.requestFile))
        } catch {
            throw .io("cannot prepare \(directory): \(error.localizedDescription)")
        }
        return job
    }

    private func reproduction(_ suiteCase: SuiteCase) -> String {
        let pattern = "^" + NSRegularExpression.escapedPattern(for: suiteCase.id) + "$"
        return ["tapedeck run", configuration.clientOptions, configuration.sourceOptions, "--filter " + ShellText.quoted(pattern)]
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A path relative to the working directory when it lies below it, as reports show files.
    static func relative(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    static func folderName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }.prefix(120))
    }
}

/// The response the server sends for a scenario, planned exactly as the server plans it.
struct DeliveredResponse {
    let plan: DeliveryPlan
    let status: Int
    let isEventStream: Bool

    init(_ suiteCase: SuiteCase, catalog: SpecCatalog, imageBase: String?) {
        switch suiteCase.source {
        case .cassette(let cassette, _):
            let recording = cassette.response.recording
            let chunks = cassette.response.arrivals.map { (length: $0.length, at: $0.at) }
            plan = ServerDelivery.plan(body: recording.bytes, isEventStream: cassette.isEventStream, surface: cassette.surface, dialect: cassette.dialect, recordedChunks: chunks, scenario: suiteCase.scenario, catalog: catalog, imageBase: imageBase)
            status = plan.status == 200 ? cassette.response.status : plan.status
            isEventStream = plan.status == 200 && cassette.isEventStream
        case .wire(let wire):
            plan = DeliveryPlanner.plan(body: wire.bytes, isEventStream: true, surface: "sse", recordedChunks: nil, scenario: suiteCase.scenario)
            status = plan.status
            isEventStream = true
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
