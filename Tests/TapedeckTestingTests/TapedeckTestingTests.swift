import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ImageFormats
import SSEWire
import TapedeckTesting
import Testing
import XCTest

/// The library as a Swift user's tests use it: their own client (here, one written with
/// URLSession and Tapedeck's event-stream parser) runs once per scenario, and the verdict
/// is the one `tapedeck run` gives.
enum Suites {
    /// One cassette, delivered whole and adversarially cut, as it is, with its final image
    /// truncated, and refused with a 429.
    static var selection: TapedeckSelection {
        var selection = TapedeckSelection()
        selection.filter = "^images-generate-png-partial-2@"
        selection.chunkings = ["whole", "adversarial"]
        selection.variations = ["none", "truncate-final-image", "fault=status:429"]
        selection.shapes = ["documented"]
        selection.fullSizeChunkings = []
        selection.includeWire = false
        selection.patience = []
        return selection
    }

    /// Started once for all the tests of this process; it stops when the process ends.
    static let shared = Task { try await TapedeckSuite.start(selection: selection) }
}

/// A client that reads the whole body, parses its events, and presents the final image;
/// `checksImages` decides whether it looks at the image before presenting it.
struct WholeBodyClient {
    var checksImages: Bool

    func run(_ scenario: TapedeckScenario) async -> TapedeckObservation {
        var seen = TapedeckObservation()
        do {
            var request = URLRequest(url: try #require(URL(string: scenario.url)))
            request.httpMethod = scenario.request.method
            request.setValue("Bearer sk-test", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data((scenario.request.bodyJSON ?? "{}").utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 200 else {
                seen.error = .init(message: "HTTP \(status)", status: status)
                return seen
            }
            var final: [UInt8]?
            for event in SSEParser.parse(Array(data)).events {
                let payload = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
                let type = payload["type"] as? String ?? ""
                seen.events.append(.init(type: type, partialImageIndex: payload["partial_image_index"] as? Int))
                let image = (payload["b64_json"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init)
                if type == "image_generation.partial_image", let image { seen.partials.append(image) }
                if type == "image_generation.completed" { final = image }
            }
            guard let final else {
                seen.error = .init(message: "no final image")
                return seen
            }
            if checksImages, !ImageInspector.inspect(final).isComplete {
                seen.error = .init(message: "the final image is broken")
                return seen
            }
            seen.finals.append(.bytes(final))
        } catch {
            seen.error = .init(message: "\(error)")
        }
        return seen
    }
}

// Serialized: the server keeps requests by scenario, so a scenario runs once at a time, and
// two of these tests use the same one.
@Suite("TapedeckTesting: a user's own client through the suite, in Swift Testing", .serialized)
struct TapedeckTestingSwiftTests {
    @Test("A client that checks its image passes every scenario", arguments: try TapedeckSuite.scenarioIDs(selection: Suites.selection))
    func carefulClientPasses(id: String) async throws {
        let suite = try await Suites.shared.value
        let scenario = try await suite.begin(id)
        #expect(scenario.baseURL.hasPrefix(suite.baseURL + "/s/") && scenario.baseURL.hasSuffix("/v1"))
        let verdict = suite.judge(scenario, observation: await WholeBodyClient(checksImages: true).run(scenario))
        try verdict.requirePass()
        #expect(verdict.result.verdict == .pass, "\(verdict)")
    }

    @Test("A client that presents a truncated image fails CLIENT-004 and CLIENT-005, in words a test failure shows")
    func carelessClientFails() async throws {
        let suite = try await Suites.shared.value
        let scenario = try await suite.begin("images-generate-png-partial-2@fault=truncate-final-image")
        #expect(scenario.errorRequired?.contains("broken") == true)
        #expect(!scenario.successRequired)
        let verdict = suite.judge(scenario, observation: await WholeBodyClient(checksImages: false).run(scenario))
        #expect(!verdict.passed)
        #expect(verdict.violations.map(\.ruleID) == ["CLIENT-004", "CLIENT-005"])
        let failure = try #require(throws: ConformanceFailure.self) { try verdict.requirePass() }
        #expect(failure.description.contains("CLIENT-004 MUST"))
        #expect(failure.description.contains("expected: an error, because the final image in event 2"))
    }

    @Test("A client that never sends its request is told so, not passed")
    func silentClientFails() async throws {
        let suite = try await Suites.shared.value
        let scenario = try await suite.begin("images-generate-png-partial-2@default")
        let verdict = suite.judge(scenario, observation: TapedeckObservation())
        #expect(verdict.violations.contains { $0.ruleID == "CLIENT-013" && $0.observed == "no request reached the server" })
    }

    @Test("Unknown scenarios, undeclared capabilities and an empty selection are errors that say what to do")
    func mistakesAreErrors() async throws {
        let suite = try await Suites.shared.value
        let unknown = await #expect(throws: TapedeckTestingError.self) { try await suite.begin("no-such-scenario") }
        #expect(unknown?.description.contains("scenarioIDs(selection:)") == true)
        let first = try await suite.begin("images-generate-png-partial-2@default")
        let again = await #expect(throws: TapedeckTestingError.self) { try await suite.begin("images-generate-png-partial-2@default") }
        #expect(again?.description.contains("already running") == true)
        _ = suite.judge(first, observation: TapedeckObservation())
        #expect(try TapedeckSuite.scenarioIDs(selection: Suites.selection, capabilities: ["responses"]).isEmpty)
        var nothing = Suites.selection
        nothing.filter = "no-such-scenario"
        #expect(throws: (any Error).self) { try TapedeckSuite.scenarioIDs(selection: nothing) }
    }
}

/// The same in XCTest: the suite started in setUp and stopped in tearDown.
final class TapedeckTestingXCTests: XCTestCase {
    var suite: TapedeckSuite!

    override func setUp() async throws {
        var selection = Suites.selection
        selection.chunkings = ["whole"]
        suite = try await TapedeckSuite.start(selection: selection)
    }

    override func tearDown() async throws {
        await suite.close()
    }

    func testEveryScenarioJudged() async throws {
        XCTAssertEqual(suite.scenarioIDs.count, 3)
        for id in suite.scenarioIDs {
            let scenario = try await suite.begin(id)
            try suite.judge(scenario, observation: await WholeBodyClient(checksImages: true).run(scenario)).requirePass()
        }
    }
}
