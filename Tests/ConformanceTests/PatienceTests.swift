@testable import Conformance
import Foundation
import Reports
import SSEWire
import Testing

/// A real image job is silent for a minute or two before its first event. The suite's
/// patience scenarios are silent for a second, with and without keep-alive comments, and a
/// client that gives up sooner is told so under its own rule.
@Suite("Patience: silences before the first event", .serialized)
struct PatienceTests {
    /// Gives up when nothing is read for `seconds` (a socket read timeout): keep-alive
    /// comments keep it waiting.
    struct ReadIdleClient: BlockingClientDriver {
        let seconds: Double
        func observe(_ job: ClientJob) -> Observation {
            var impatient = job
            impatient.timeout = seconds
            return ReferenceClient.run(impatient)
        }
    }

    /// Gives up when no event came for `seconds`, whatever else arrives: comments do not count.
    struct EventIdleClient: BlockingClientDriver {
        let seconds: Double

        func observe(_ job: ClientJob) -> Observation {
            var observation = Observation()
            var parser = SSEParser()
            var lastEvent = ContinuousClock.now
            let (headers, body) = ReferenceClient.encode(job.request)
            _ = try? LoopbackHTTP(timeout: job.timeout).exchange(
                method: job.request.method, url: job.baseURL + job.request.path, headers: headers, body: body,
                onHead: { _ in },
                onBody: { bytes in
                    // The wait is judged before what just arrived counts: the silence is at
                    // least a second, so it is over the limit however reads are grouped.
                    if lastEvent.duration(to: .now) > .seconds(seconds) {
                        observation.error = .init(message: "no event for \(seconds) s: timed out")
                        observation.exitCode = 1
                        return false
                    }
                    var events: [SSEEvent] = []
                    parser.feed(bytes) { events.append($0) }
                    if !events.isEmpty { lastEvent = .now }
                    return true
                })
            return observation
        }
    }

    static let quiet = "^images-generate-png-partial-1@fault=silence:1s@0$"
    static let commented = "^images-generate-png-partial-1@fault=silence:1s@0:comments=0.25s$"

    static func result(_ driver: any ClientDriver, _ filter: String) async throws -> ScenarioResult {
        try #require(try await LoopbackRunTests.run(driver, filter: filter).first)
    }

    @Test("The reference client waits through both silences", .timeLimit(.minutes(1)))
    func patient() async throws {
        for filter in [Self.quiet, Self.commented] {
            let result = try await Self.result(ReferenceClient(), filter)
            #expect(result.verdict == .pass, "\(filter): \(result.violations.map(\.observed))")
        }
    }

    @Test("A read timeout shorter than the silence fails without comments and passes with them", .timeLimit(.minutes(1)))
    func readIdle() async throws {
        // 0.8 s: the silence (at least 1 s) always outlasts it, and comments 0.25 s apart keep
        // it reading even when a loaded machine wakes the server late.
        let quiet = try await Self.result(ReadIdleClient(seconds: 0.8), Self.quiet)
        let violation = try #require(quiet.violations.first { $0.ruleID == "CLIENT-020" })
        #expect(violation.expected == "to wait through 1 s of silence before event 0 (no comment), then succeed")
        #expect(violation.observed.hasSuffix("before any event"))
        // With comments, a wider margin: a 2 s read timeout through 4 s of silence with a comment
        // every 0.25 s, so even a loaded machine that wakes the server a second late keeps it reading.
        var selection = SuiteSelection()
        selection.patience = ["fault=silence:4s@0:comments=250ms"]
        selection.filter = "^images-generate-png-partial-1@fault=silence:4s@0:comments=0.25s$"
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection)
        var configuration = ConformanceRunner.Configuration()
        configuration.timeout = 20
        configuration.workDirectory = Fixtures.temporaryFolder()
        let results = try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: ReadIdleClient(seconds: 2))
        #expect(results.map(\.verdict) == [.pass], "\(results.flatMap(\.violations).map(\.observed))")
    }

    @Test("A client that counts only events as activity fails even while comments arrive, and is told they did", .timeLimit(.minutes(1)))
    func eventIdle() async throws {
        let commented = try await Self.result(EventIdleClient(seconds: 0.5), Self.commented)
        let violation = try #require(commented.violations.first { $0.ruleID == "CLIENT-020" })
        #expect(violation.expected.contains("a `: keep-alive` comment every 0.25 s"))
        #expect(violation.observed.contains("no event for 0.5 s"))
    }

    @Test("The quick profile is in the default suite, once per streaming cassette, delivered whole")
    func inTheSuite() throws {
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: SuiteSelection())
        let patience = suite.filter { $0.scenario.faults.contains { if case .silence = $0 { true } else { false } } }
        let streaming = try Fixtures.allCassettes().filter { $0.cassette.isEventStream && $0.cassette.response.status == 200 }
        #expect(patience.count == 2 * streaming.count)
        #expect(patience.allSatisfy { $0.strategy == "whole" })
        #expect(SuiteSelection.longestSilence(SuiteSelection.patienceProfiles["slow"]!) == 90)
    }
}
