import Foundation
import ImageStreamSpec
import MockServer
import Reports
import Synchronization

/// The mock server serving a suite, with scenarios handed out and judged one at a time: what
/// `tapedeck run` drives a client through, and what a test runner uses when its own tests are
/// the client (`tapedeck session`, the TapedeckTesting library).
public final class ConformanceSession: Sendable {
    public let cases: [SuiteCase]
    /// The server's address, such as http://127.0.0.1:49152; each scenario's URL is under it.
    public var baseURL: String { context.baseURL }
    private let context: ScenarioContext
    private let mock: MockServer
    private let serving: Task<Void, any Error>
    private let indexByID: [String: Int]
    /// Scenarios begun and not yet judged: the server keeps requests by scenario, so one
    /// scenario runs once at a time.
    private let inProgress = Mutex(Set<Int>())

    private init(cases: [SuiteCase], context: ScenarioContext, mock: MockServer, serving: Task<Void, any Error>) {
        self.cases = cases
        self.context = context
        self.mock = mock
        self.serving = serving
        self.indexByID = Dictionary(cases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Starts the server on a free loopback port with the cases' cassettes and WHATWG cases.
    /// `writesRequestFiles` writes each job's `request.json` and uploads for a client that
    /// reads them (all but an in-process client).
    public static func start(
        _ cases: [SuiteCase],
        configuration: ConformanceRunner.Configuration,
        catalog: SpecCatalog,
        writesRequestFiles: Bool = true,
        port: Int = 0
    ) async throws -> ConformanceSession {
        var server = MockServer.Configuration()
        server.port = port
        var seen = Set<String>()
        for suiteCase in cases {
            switch suiteCase.source {
            case .cassette(let cassette, _):
                if seen.insert(cassette.name).inserted { server.cassettes.append(cassette) }
            case .wire(let wire):
                server.eventStreams[wire.name] = wire.bytes
            }
        }
        let journal = RequestJournal()
        server.journal = journal
        try FileManager.default.createDirectory(atPath: configuration.workDirectory, withIntermediateDirectories: true)
        let mock = try await MockServer(configuration: server, catalog: catalog)
        let serving = Task { try await mock.run() }
        let context = ScenarioContext(
            configuration: configuration, catalog: catalog, baseURL: mock.baseURL,
            uploads: UploadFiles(directory: configuration.workDirectory + "/uploads"), writesRequestFiles: writesRequestFiles,
            journal: journal, traces: TraceBudget(failing: configuration.failingTraces, passing: configuration.passingTraces)
        )
        return ConformanceSession(cases: cases, context: context, mock: mock, serving: serving)
    }

    /// The position of the scenario with this ID, nil when the suite has none.
    public func index(of id: String) -> Int? { indexByID[id] }

    /// Hands out the `index`-th scenario: its job, or its result when it is over at once
    /// (skipped for a missing capability, or not preparable).
    public func begin(_ index: Int) async -> ScenarioStart {
        guard inProgress.withLock({ $0.insert(index).inserted }) else {
            return .over(ScenarioResult(
                id: cases[index].id, surface: cases[index].surface, dialect: cases[index].dialect, strategy: cases[index].strategy,
                scenario: cases[index].scenarioText, source: cases[index].sourceName, file: cases[index].file, verdict: .error, duration: 0,
                reason: "the scenario is already running: the requests the server receives are kept by scenario, so each runs once at a time (judge it before beginning it again)",
                reproduction: ""
            ))
        }
        let start = await context.begin(cases[index], number: index)
        if case .over = start { _ = inProgress.withLock { $0.remove(index) } }
        return start
    }

    /// Judges what the client observed (and what the server received) for a scenario begun.
    public func finish(_ pending: PendingScenario, observation: Observation) -> ScenarioResult {
        defer { ended(pending) }
        return context.finish(pending, observation: observation)
    }

    /// Judges what a test observed, where the test was the client: a test cannot be killed at
    /// its timeout, so one that took longer is judged as a client killed there (CLIENT-008).
    public func finish(_ pending: PendingScenario, observedInTest observation: Observation) -> ScenarioResult {
        var observation = observation
        observation.timedOut = observation.timedOut || pending.elapsed > context.configuration.timeout
        return finish(pending, observation: observation)
    }

    /// Ends a scenario begun whose client the harness could not run.
    public func finish(_ pending: PendingScenario, error: any Error) -> ScenarioResult {
        defer { ended(pending) }
        return context.finish(pending, error: error)
    }

    private func ended(_ pending: PendingScenario) {
        _ = inProgress.withLock { $0.remove(pending.number) }
    }

    /// Begins, drives and judges the `index`-th scenario.
    public func run(_ index: Int, driver: any ClientDriver) async -> ScenarioResult {
        switch await begin(index) {
        case .over(let result):
            return result
        case .ready(let pending):
            do {
                return finish(pending, observation: try await driver.perform(pending.job))
            } catch {
                return finish(pending, error: error)
            }
        }
    }

    /// Lets the last responses finish, then stops the server. Connections a client keeps
    /// open idle (a reused SDK client, a browser) are closed, so this ends whatever the client
    /// does.
    public func close(grace: Duration = .seconds(5)) async {
        await mock.stop(grace: grace)
        serving.cancel()
        _ = try? await serving.value
        await mock.shutdown()
    }
}

/// A scenario handed out: over at once, or ready for its client.
public enum ScenarioStart: Sendable {
    case over(ScenarioResult)
    case ready(PendingScenario)
}

/// A scenario handed to a client and not yet judged.
public struct PendingScenario: Sendable {
    /// Where the client sends its request and writes what it saw.
    public let job: ClientJob
    let suiteCase: SuiteCase
    /// Its position in the session's suite.
    let number: Int
    let expectation: ClientExpectation
    let result: ScenarioResult
    let started: ContinuousClock.Instant

    /// Whether a conformant client succeeds here (CLIENT-001): the response is complete and whole.
    public var successRequired: Bool { expectation.successRequired }
    /// Why a conformant client reports an error here (CLIENT-004); nil when it need not.
    public var errorRequired: String? { expectation.errorRequired }

    /// Seconds since the scenario was handed out.
    public var elapsed: Double { started.duration(to: .now).seconds }
}
