import Conformance
import Foundation
import ImageStreamSpec
import Reports

public typealias TapedeckSelection = SuiteSelection
public typealias TapedeckObservation = Observation
public typealias TapedeckRequest = ClientRequest

/// Tapedeck's conformance suite in your own Swift tests: the mock server runs in this process
/// on a free loopback port, each scenario hands your client a base URL and a request, and what
/// your client showed its user is judged by the rules of `tapedeck run` (CLIENT-001…023).
///
/// ```swift
/// @Test(arguments: try TapedeckSuite.scenarioIDs(selection: selection))
/// func streamsAnImage(id: String) async throws {
///     let suite = try await Suites.shared.value
///     let scenario = try await suite.begin(id)
///     var seen = TapedeckObservation()
///     // … send scenario.request to scenario.baseURL with your client, and note what it showed …
///     try suite.judge(scenario, observation: seen).requirePass()
/// }
/// ```
public final class TapedeckSuite: Sendable {
    private let session: ConformanceSession

    /// The server's address; every scenario's base URL is under it.
    public var baseURL: String { session.baseURL }
    /// The IDs of the suite's scenarios, in order.
    public var scenarioIDs: [String] { session.cases.map(\.id) }

    private init(session: ConformanceSession) {
        self.session = session
    }

    /// The IDs of the scenarios a selection makes, without starting anything: for
    /// `@Test(arguments:)`. Scenarios needing a capability beyond `capabilities` are left out.
    public static func scenarioIDs(
        cassettes: String? = nil,
        specs: String? = nil,
        selection: TapedeckSelection = TapedeckSelection(),
        capabilities: [String] = ClientCapabilities.all
    ) throws -> [String] {
        try load(cassettes: cassettes, specs: specs, selection: selection).cases
            .filter { $0.requiredCapabilities.allSatisfy(capabilities.contains) }
            .map(\.id)
    }

    /// Starts the server over the selected scenarios.
    /// - Parameters:
    ///   - cassettes: the cassette folder (default: the nearest `Cassettes/` above the working
    ///     directory, as `swift test` runs in the package's root).
    ///   - specs: the Specs folder (default: the nearest `Specs/`).
    ///   - timeout: seconds a client has for one scenario; a test that takes longer fails
    ///     CLIENT-008.
    ///   - workDirectory: where upload files go (default: a new temporary folder).
    public static func start(
        cassettes: String? = nil,
        specs: String? = nil,
        selection: TapedeckSelection = TapedeckSelection(),
        capabilities: [String] = ClientCapabilities.all,
        timeout: Double = 30,
        workDirectory: String? = nil
    ) async throws -> TapedeckSuite {
        let (catalog, cases) = try load(cassettes: cassettes, specs: specs, selection: selection)
        var configuration = ConformanceRunner.Configuration()
        configuration.timeout = timeout
        configuration.capabilities = capabilities
        configuration.workDirectory = workDirectory ?? NSTemporaryDirectory() + "tapedeck-testing-\(UUID().uuidString)"
        // An in-process client reads its request from `TapedeckScenario.request`; uploads for
        // edits are still written, as real files to send.
        let session = try await ConformanceSession.start(cases, configuration: configuration, catalog: catalog, writesRequestFiles: false)
        return TapedeckSuite(session: session)
    }

    /// Hands out a scenario: where to send what.
    public func begin(_ id: String) async throws(TapedeckTestingError) -> TapedeckScenario {
        guard let index = session.index(of: id) else {
            throw .unknownScenario(id, known: session.cases.count)
        }
        switch await session.begin(index) {
        case .over(let result):
            throw result.verdict == .skipped ? .skipped(id, reason: result.reason ?? "") : .notPrepared(id, reason: result.explanation)
        case .ready(let pending):
            return TapedeckScenario(pending: pending)
        }
    }

    /// Judges what the client observed for a scenario begun, and the requests the server
    /// received for it.
    public func judge(_ scenario: TapedeckScenario, observation: TapedeckObservation) -> TapedeckVerdict {
        TapedeckVerdict(result: session.finish(scenario.pending, observedInTest: observation))
    }

    /// Stops the server (responses in flight get `grace`).
    public func close(grace: Duration = .seconds(5)) async {
        await session.close(grace: grace)
    }

    /// The catalog and the selected scenarios, from the given folders or the nearest ones.
    static func load(cassettes: String?, specs: String?, selection: TapedeckSelection) throws -> (catalog: SpecCatalog, cases: [SuiteCase]) {
        let catalog = try SpecCatalog.load(from: specs ?? nearest("Specs", containing: "common.yaml"))
        return (catalog, try SuiteBuilder.build(cassetteFolder: cassettes ?? nearest("Cassettes", containing: "README.md"), selection: selection, catalog: catalog))
    }

    /// The nearest folder `name` holding `marker`, from the working directory up.
    static func nearest(_ name: String, containing marker: String) throws(TapedeckTestingError) -> String {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { throw .folderNotFound(name, from: FileManager.default.currentDirectoryPath) }
            directory = parent
        }
    }
}

/// One scenario handed to your client.
public struct TapedeckScenario: Sendable {
    let pending: PendingScenario

    public var id: String { pending.job.scenarioID }
    /// Ends in `/v1`; the scenario is in its path. Your client appends its usual path.
    public var baseURL: String { pending.job.baseURL }
    /// What to ask for (docs/client-contract.md, `request.json`): the surface, the method and
    /// path, the body's fields as JSON, the upload files of an edit.
    public var request: TapedeckRequest { pending.job.request }
    /// `baseURL` with the request's path.
    public var url: String { baseURL + request.path }
    /// Whether a conformant client succeeds here (CLIENT-001).
    public var successRequired: Bool { pending.successRequired }
    /// Why a conformant client reports an error here (CLIENT-004); nil when it need not.
    public var errorRequired: String? { pending.errorRequired }
}

/// A scenario's verdict.
public struct TapedeckVerdict: Sendable, CustomStringConvertible {
    public let result: ScenarioResult

    /// No MUST broken (a SHOULD may be: `result.violations` says).
    public var passed: Bool { result.verdict == .pass || result.verdict == .nonStrict }
    /// The rules broken, each with expected and observed.
    public var violations: [Violation] { result.violations }
    public var description: String { result.explanation }

    /// Throws the verdict in words when a MUST was broken: a failed test in Swift Testing and
    /// in XCTest (a throwing test method) alike.
    public func requirePass() throws(ConformanceFailure) {
        guard passed else { throw ConformanceFailure(scenario: result.id, explanation: result.explanation) }
    }
}

/// A client broke a MUST in a scenario.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    public let scenario: String
    public let explanation: String
    public var description: String { "Tapedeck scenario \(scenario) failed:\n\(explanation)" }
}

public enum TapedeckTestingError: Error, CustomStringConvertible, Sendable {
    case unknownScenario(String, known: Int)
    case skipped(String, reason: String)
    case notPrepared(String, reason: String)
    case folderNotFound(String, from: String)

    public var description: String {
        switch self {
        case .unknownScenario(let id, let known):
            "no scenario \(id) among the suite's \(known); TapedeckSuite.scenarioIDs(selection:) lists them"
        case .skipped(let id, let reason):
            "\(id) is skipped: \(reason); leave it out with scenarioIDs(capabilities:)"
        case .notPrepared(let id, let reason):
            "\(id) could not be prepared: \(reason)"
        case .folderNotFound(let name, let from):
            "no \(name)/ folder above \(from); pass its path (a Tapedeck checkout has Cassettes/ and Specs/)"
        }
    }
}
