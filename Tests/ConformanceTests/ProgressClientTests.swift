@testable import Conformance
import Foundation
import ImageStreamSpec
import Recorder
import Reports
import Testing

/// The gateway's progress channel in the suite: the reference client passes every progress
/// scenario, and clients with one mistake each fail exactly the rule for it.
@Suite("Progress: what a client shows of its job, and how it ends when the channel breaks", .serialized)
struct ProgressClientTests {
    /// Follows progress its own way, then does what the reference client does for the image.
    struct ProgressClient: BlockingClientDriver {
        enum Mistake: Sendable {
            /// Shows nothing of the progress.
            case showsNothing
            /// Shows every percentage as it came, lower ones too, and any job's.
            case showsRaw
            /// Reports an error when no completion came, though the image did.
            case failsWithoutCompletion
            /// Waits for the completion before it looks at the answer (until it is killed).
            case waitsForCompletion
        }

        let mistake: Mistake

        func observe(_ job: ClientJob) -> Observation {
            guard let channel = job.request.progress else { return ReferenceClient.run(job) }
            switch mistake {
            case .showsNothing:
                var observation = ReferenceClient.run(job)
                observation.progress = []
                return observation
            case .failsWithoutCompletion:
                var observation = ReferenceClient.run(job)
                if !observation.progress.contains(.complete) {
                    observation.error = .init(message: "the job never said it completed")
                    observation.exitCode = 1
                }
                return observation
            case .waitsForCompletion:
                let socket = ProgressFollower.open(channel, timeout: job.timeout)
                var observation = ReferenceClient.run(ClientJob(scenarioID: job.scenarioID, baseURL: job.baseURL, request: ClientRequest(surface: job.request.surface, method: job.request.method, path: job.request.path, stream: job.request.stream, bodyJSON: job.request.bodyJSON, isMultipart: false, files: []), directory: job.directory, timeout: job.timeout))
                let tape = socket?.finish(linger: .seconds(job.timeout * 2)) { $0.contains("\"complete\"") }
                if tape?.frames.contains(where: { $0.text.contains("\"complete\"") }) != true {
                    observation.timedOut = true
                }
                return observation
            case .showsRaw:
                let socket = ProgressFollower.open(channel, timeout: job.timeout)
                var observation = ReferenceClient.run(ClientJob(scenarioID: job.scenarioID, baseURL: job.baseURL, request: ClientRequest(surface: job.request.surface, method: job.request.method, path: job.request.path, stream: job.request.stream, bodyJSON: job.request.bodyJSON, isMultipart: false, files: []), directory: job.directory, timeout: job.timeout))
                let tape = socket?.finish(linger: ProgressFollower.linger) { $0.contains("\"complete\"") }
                observation.progress = (tape?.frames ?? []).compactMap { frame in
                    switch (try? ProgressReading.message(in: frame.text, transport: .socketIO, spec: channel.spec))?.kind {
                    case .progress(let percent)?: .percent(percent)
                    case .complete?: .complete
                    default: nil
                    }
                }
                return observation
            }
        }
    }

    static func run(_ driver: any ClientDriver, filter: String, timeout: Double = 20) async throws -> [ScenarioResult] {
        var selection = SuiteSelection()
        selection.filter = filter
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection, catalog: try Fixtures.catalog())
        var configuration = ConformanceRunner.Configuration()
        configuration.timeout = timeout
        configuration.workDirectory = Fixtures.temporaryFolder()
        return try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: driver)
    }

    static let progressScenarios = "^images-generate-gateway-b64@.*progress"

    static func rules(_ result: ScenarioResult) -> Set<String> { Set(result.violations.map(\.ruleID)) }

    @Test("The suite runs ten progress scenarios per gateway cassette, and the reference client passes them all", .timeLimit(.minutes(2)))
    func referencePasses() async throws {
        let results = try await Self.run(ReferenceClient(), filter: Self.progressScenarios)
        #expect(results.count == SuiteSelection.defaultProgress.count)
        for result in results {
            #expect(result.verdict == .pass, "\(result.id): \(result.violations.map { "\($0.ruleID) expected \($0.expected), observed \($0.observed)" })")
        }
    }

    @Test("A client without the capability is skipped, the capability named")
    func skippedWithoutCapability() async throws {
        var selection = SuiteSelection()
        selection.filter = Self.progressScenarios
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection, catalog: try Fixtures.catalog())
        var configuration = ConformanceRunner.Configuration()
        configuration.capabilities = ClientCapabilities.commandDefault
        configuration.workDirectory = Fixtures.temporaryFolder()
        let results = try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: ReferenceClient())
        #expect(!results.isEmpty && results.allSatisfy { $0.verdict == .skipped && $0.reason?.contains("progress") == true })
    }

    @Test("Each mistake breaks its rule, in the scenario that shows it", .timeLimit(.minutes(2)), arguments: [
        (ProgressClient.Mistake.showsNothing, "progress=on", "CLIENT-021"),
        (.showsRaw, "fault=progress:backwards@50", "CLIENT-021"),
        (.failsWithoutCompletion, "fault=progress:stall@40", "CLIENT-022"),
        (.failsWithoutCompletion, "fault=progress:close@50", "CLIENT-022"),
        (.failsWithoutCompletion, "fault=progress:missed-pong", "CLIENT-022"),
        (.waitsForCompletion, "fault=progress:stall@50,fault=status:502", "CLIENT-023"),
    ])
    func mistakes(_ mistake: ProgressClient.Mistake, _ variation: String, _ rule: String) async throws {
        let id = "^images-generate-gateway-b64@" + NSRegularExpression.escapedPattern(for: "progress=on" == variation ? "time-scale=0.25,progress=on" : "time-scale=0.25," + variation) + "$"
        let results = try await Self.run(ProgressClient(mistake: mistake), filter: id, timeout: 4)
        let result = try #require(results.first)
        #expect(results.count == 1)
        #expect(Self.rules(result).contains(rule), "\(result.id): \(result.violations.map { "\($0.ruleID): \($0.observed)" })")
        #expect(result.verdict == .fail)
    }

    @Test("The same mistakes pass where the channel works: a client is judged on what it was sent")
    func controls() async throws {
        let results = try await Self.run(ProgressClient(mistake: .failsWithoutCompletion), filter: "^images-generate-gateway-b64@time-scale=0.25,progress=on$")
        #expect(results.map(\.verdict) == [.pass])
        let raw = try await Self.run(ProgressClient(mistake: .showsRaw), filter: "^images-generate-gateway-b64@time-scale=0.25,fault=progress:stall@40$")
        #expect(raw.map(\.verdict) == [.pass])
    }
}
