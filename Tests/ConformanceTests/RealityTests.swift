import Cassette
@testable import Conformance
import Foundation
import ImageStreamSpec
import Reports
import SSEWire
import Testing

/// The suite sends what real servers send (Specs/README.md, Real captures): the live shape and real sizes, and the
/// judge tells apart the clients that break on them.
@Suite(.serialized)
struct RealityTests {
    static func run(_ driver: any ClientDriver, filter: String, chunkings: [String] = ["whole"], fullSize: [String] = ["whole"]) async throws -> [String: ScenarioResult] {
        var selection = SuiteSelection()
        selection.filter = filter
        selection.chunkings = chunkings
        selection.fullSizeChunkings = fullSize
        selection.includeWire = false
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection, catalog: try Fixtures.catalog())
        var configuration = ConformanceRunner.Configuration()
        configuration.timeout = 60
        configuration.workDirectory = Fixtures.temporaryFolder()
        let results = try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: driver)
        return Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0) })
    }

    @Test("The suite has the live shape for the Responses API only, and real sizes for every surface")
    func suiteDimensions() throws {
        var selection = SuiteSelection()
        selection.includeWire = false
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection, catalog: try Fixtures.catalog())
        let live = suite.filter { $0.shape == "live" }
        #expect(!live.isEmpty)
        #expect(Set(live.map(\.surface)) == ["responses"])
        #expect(live.allSatisfy { $0.id.contains("shape=live") && !$0.isJSONBody })
        let fullSize = suite.filter { $0.scenario.images == .fullSize }
        #expect(Set(fullSize.map(\.surface)) == ["images.generate", "images.edit", "responses"])
        #expect(Set(fullSize.map(\.strategy)) == ["whole", "adversarial", "random"])
        #expect(fullSize.filter { $0.surface == "responses" && !$0.isJSONBody }.allSatisfy { $0.shape == "live" }, "real sizes come in the shape real servers send")
        #expect(suite.contains { $0.id.hasSuffix("@fault=response-failed@-2") && $0.surface == "responses" })
        #expect(!suite.contains { $0.id.contains("response-failed") && $0.surface != "responses" }, "only a surface with a failure event gets a refusal")
    }

    @Test("The reference client passes the live shape, real sizes, refusals and bodies")
    func referenceClient() async throws {
        let results = try await Self.run(ReferenceClient(), filter: "^(responses-png-partial-0|responses-live-no-partials|responses-json|images-generate-png-partial-2|images-edit-png-partial-1|images-generate-json-n2)@(default|shape=live|.*images=full-size|.*response-failed.*|.*error-event:nested@-2)$")
        #expect(results.count >= 20)
        let failures = results.values.filter { $0.verdict != .pass }
        #expect(failures.isEmpty, "\(failures.prefix(3).map { "\($0.id): \($0.violations.first.map { "\($0.ruleID) \($0.observed)" } ?? $0.reason ?? "")" })")
    }

    @Test("A client that waits for image_generation_call.completed passes the documented stream and fails the live one, told what it waited for")
    func waitsForCallCompleted() async throws {
        let results = try await Self.run(ScriptedClient(mistake: .waitsForCallCompleted), filter: "^responses-png-partial-1@(default|shape=live)$", fullSize: [])
        #expect(results["responses-png-partial-1@default"]?.verdict == .pass)
        let live = try #require(results["responses-png-partial-1@shape=live"])
        #expect(live.verdict == .fail)
        let rule = try #require(live.violations.first { $0.ruleID == "CLIENT-001" })
        #expect(rule.expected.contains("no response.image_generation_call.completed"))
        #expect(rule.expected.contains("api.openai.com"))
    }

    @Test("A client that requires [DONE] fails where the server sends none, and passes where the gateway documents it")
    func requiresDone() async throws {
        let openai = try await Self.run(ScriptedClient(mistake: .requiresDone), filter: "^responses-png-partial-1@shape=live$", fullSize: [])
        #expect(openai["responses-png-partial-1@shape=live"]?.violations.first?.expected.contains("no data: [DONE]") == true)
        let aiswing = try await Self.run(ScriptedClient(mistake: .requiresDone), filter: "^responses-aiswing-4k-landscape@default$", fullSize: [])
        #expect(aiswing["responses-aiswing-4k-landscape@default"]?.verdict == .pass)
    }

    @Test("A client that caps lines passes small images and fails real sizes, with a rule naming the size", arguments: [512 << 10, 1 << 20])
    func capsLines(cap: Int) async throws {
        let results = try await Self.run(ScriptedClient(mistake: .capsLines(cap)), filter: "^images-generate-png-partial-2@(default|images=full-size)$", chunkings: ["whole"])
        #expect(results["images-generate-png-partial-2@default"]?.verdict == .pass)
        let full = try #require(results["images-generate-png-partial-2@images=full-size"])
        #expect(full.verdict == .fail)
        let rule = try #require(full.violations.first { $0.ruleID == "CLIENT-012" })
        #expect(rule.observed.contains("stopped before event 0"))
        #expect(rule.observed.contains("MiB"), "\(rule.observed)")
    }

    @Test("A client with an 8 MiB event cap passes 1024x1024 images and fails a 4K one, with the size named")
    func capsAt8MiB() async throws {
        let results = try await Self.run(ScriptedClient(mistake: .capsLines(8 << 20)), filter: "^(images-generate-png-partial-2|responses-aiswing-4k-landscape)@(default|.*images=full-size)$", chunkings: ["whole"])
        #expect(results["images-generate-png-partial-2@images=full-size"]?.verdict == .pass)
        let fourK = try #require(results["responses-aiswing-4k-landscape@shape=live,images=full-size"])
        let rule = try #require(fourK.violations.first { $0.ruleID == "CLIENT-012" })
        #expect(rule.observed.contains("MiB"), "\(rule.observed)")
        #expect(rule.expected.contains("partial_image"), "the first 4K line is the preview: \(rule.expected)")
    }

    @Test("Previews are judged: dropped ones are a SHOULD, garbled ones and a preview shown as the final image are failures")
    func previews() async throws {
        let filter = "^images-generate-png-partial-2@default$"
        let id = "images-generate-png-partial-2@default"
        let dropped = try #require(try await Self.run(ScriptedClient(mistake: .dropsPreviews), filter: filter, fullSize: [])[id])
        #expect(dropped.verdict == .nonStrict)
        #expect(dropped.violations.map(\.ruleID) == ["CLIENT-011"])
        let garbled = try #require(try await Self.run(ScriptedClient(mistake: .garblesPreviews), filter: filter, fullSize: [])[id])
        #expect(garbled.violations.map(\.ruleID) == ["CLIENT-010", "CLIENT-010"])
        let swapped = try #require(try await Self.run(ScriptedClient(mistake: .showsLastPreviewAsFinal), filter: filter, fullSize: [])[id])
        #expect(swapped.violations.map(\.ruleID) == ["CLIENT-003"], "the bundled previews differ from the final image")
    }

    @Test("The image behind a URL is judged: a client that shows URLs without fetching them fails when the image is missing, cut or of another format")
    func urlImages() async throws {
        let results = try await Self.run(ScriptedClient(mistake: .trustsURLs), filter: "^images-generate-gateway-url@(default|fault=url-image:.*)$", fullSize: [])
        #expect(results["images-generate-gateway-url@default"]?.verdict == .pass)
        for fault in ["missing", "truncated", "other-format"] {
            let result = try #require(results["images-generate-gateway-url@fault=url-image:\(fault)"])
            #expect(result.violations.map(\.ruleID) == ["CLIENT-004", "CLIENT-005"], "\(fault)")
            #expect(result.violations.first?.expected.contains("/tapedeck/images/") == true, "the verdict names the URL: \(result.violations.first?.expected ?? "")")
        }
        let careful = try await Self.run(ReferenceClient(), filter: "^images-generate-gateway-url@(default|fault=url-image:.*)$", fullSize: [])
        #expect(careful.values.allSatisfy { $0.verdict == .pass })
    }

    @Test("A refusal (response.failed with no error event) must be reported")
    func refusal() async throws {
        let naive = try await Self.run(ScriptedClient(mistake: .dropsPreviews), filter: "^responses-png-partial-1@fault=response-failed@-2$", fullSize: [])
        let verdict = try #require(naive["responses-png-partial-1@fault=response-failed@-2"])
        #expect(verdict.violations.contains { $0.ruleID == "CLIENT-004" }, "the scripted client reports nothing on response.failed")
    }
}

/// Expectations for streams that carry the final image only in response.completed.
struct CompletedOnlyTests {
    /// The live stream of the bundled cassette with every output_item.done result emptied, as
    /// some gateways send it: only response.completed carries the image.
    static func completedOnly() throws -> Cassette {
        var (cassette, _) = try Fixtures.cassette("responses-live-no-partials")
        let text = String(decoding: cassette.response.recording.bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        for index in lines.indices where lines[index].hasPrefix("data: {\"type\":\"response.output_item.done\"") {
            lines[index] = lines[index].replacingOccurrences(of: #""result":"[^"]*""#, with: #""result":null"#, options: .regularExpression)
        }
        let bytes = Array(lines.joined(separator: "\n").utf8)
        cassette.name = "responses-completed-only"
        cassette.response.recording = try SSERecording(bytes: bytes, chunkEnds: [bytes.count])
        cassette.response.chunkTimes = [.milliseconds(100)]
        return cassette
    }

    static func expectation(_ scenario: String) throws -> ClientExpectation {
        var selection = SuiteSelection()
        selection.chunkings = ["whole"]
        selection.variations = [scenario]
        selection.fullSizeChunkings = []
        selection.includeWire = false
        let suiteCase = try #require(try SuiteBuilder.build(cassettes: [(try completedOnly(), "memory")], wireCases: [], selection: selection).first)
        let delivery = DeliveredResponse(suiteCase, catalog: try Fixtures.catalog(), imageBase: nil)
        return ClientExpectation.derive(plan: delivery.plan, status: delivery.status, surface: suiteCase.surface, isEventStream: delivery.isEventStream)
    }

    @Test("A final image only response.completed carries is expected, once")
    func counted() throws {
        let expectation = try Self.expectation("none")
        #expect(expectation.finals.count == 1)
        #expect(expectation.finals.first?.origin.contains("response.completed") == true)
        #expect(expectation.successRequired)
    }

    @Test("When that only copy is cut, the client must report an error")
    func truncated() throws {
        let expectation = try Self.expectation("fault=truncate-final-image")
        #expect(expectation.finals.isEmpty)
        #expect(expectation.brokenFinals.count == 1)
        #expect(!expectation.successRequired)
        #expect(expectation.errorRequired != nil)
    }
}
