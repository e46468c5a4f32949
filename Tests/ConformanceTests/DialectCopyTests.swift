import Cassette
@testable import Conformance
import Foundation
import ImageStreamSpec
import MockServer
import Testing

/// A dialect is its file: a copy under another name behaves exactly as the original, in
/// serve, validate and run, because nothing branches on a dialect's name.
@Suite(.serialized)
struct DialectCopyTests {
    static let dialects = ["openai", "azure", "aiswing", "gateway", "apiyi"]

    /// Specs/ with every dialect also copied as `<id>-copy`.
    static func copiedCatalog() throws -> SpecCatalog {
        let folder = Fixtures.temporaryFolder() + "/Specs"
        try FileManager.default.copyItem(atPath: Fixtures.specsFolder, toPath: folder)
        for dialect in dialects {
            let text = try String(contentsOfFile: "\(folder)/dialects/\(dialect).yaml", encoding: .utf8)
            let copy = text.replacingOccurrences(of: "\ndialect: \(dialect)\n", with: "\ndialect: \(dialect)-copy\n")
            #expect(copy != text)
            try copy.write(toFile: "\(folder)/dialects/\(dialect)-copy.yaml", atomically: true, encoding: .utf8)
        }
        return try SpecCatalog.load(from: folder)
    }

    /// What a finding says, the dialect's name aside.
    static func described(_ report: ValidationReport, dialect: String) -> [String] {
        report.findings.map { "\($0.ruleID) \($0.level) \($0.message.replacingOccurrences(of: dialect + "-copy", with: dialect))" }
    }

    @Test("validate: every bundled cassette gets the same findings under a copy of its dialect")
    func validate() throws {
        let catalog = try Self.copiedCatalog()
        for (cassette, _) in try Fixtures.allCassettes() {
            let original = try catalog.resolve(surface: cassette.surface, dialect: cassette.dialect)
            let copy = try catalog.resolve(surface: cassette.surface, dialect: cassette.dialect + "-copy")
            let request = cassette.requestFieldsJSON.flatMap { try? JSONValue.parse($0) }
            let response: ValidationInput.Response = cassette.isEventStream ? .stream(cassette.response.recording.bytes) : .body(cassette.response.recording.bytes)
            let input = ValidationInput(request: request, response: response)
            #expect(Self.described(Validator(spec: copy).validate(input), dialect: cassette.dialect) == Self.described(Validator(spec: original).validate(input), dialect: cassette.dialect), "\(cassette.name)")
        }
    }

    @Test("serve: each page's request gets the same bytes from a copy of its dialect", arguments: [
        ("aiswing", "/v1/responses", #"{"model":"gpt-image-2","prompt":"A poster","size":"1024x1024","format":"png","stream":true}"#),
        ("gateway", "/v1/images/generations", #"{"model":"dall-e-3","prompt":"A lake","size":"1024x1024","quality":"hd","n":1}"#),
        ("apiyi", "/v1/images/generations", #"{"model":"gpt-image-2-all","prompt":"Landscape 16:9 cinematic, old lighthouse at sunset"}"#),
        ("azure", "/v1/responses", #"{"model":"gpt-4.1-mini","input":"an otter","stream":true,"tools":[{"type":"image_generation"}]}"#),
        ("openai", "/v1/responses", #"{"model":"gpt-5","input":"an otter","stream":true,"tools":[{"type":"image_generation","partial_images":1}]}"#),
    ])
    func serve(dialect: String, path: String, body: String) async throws {
        let catalog = try Self.copiedCatalog()
        func answer(_ dialect: String) async throws -> (Int, [UInt8]) {
            var configuration = MockServer.Configuration()
            configuration.synthesize = true
            configuration.dialect = dialect
            let server = try await MockServer(configuration: configuration, catalog: catalog)
            let running = Task { try await server.run() }
            defer { running.cancel() }
            let url = server.baseURL + path
            let (status, received) = try await Task.detached { () throws -> (Int, [UInt8]) in
                var status = 0
                var received: [UInt8] = []
                _ = try LoopbackHTTP(timeout: 30).exchange(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Array(body.utf8),
                                                        onHead: { status = $0.status }, onBody: { received += $0; return true })
                return (status, received)
            }.value
            await server.shutdown()
            // Served image URLs carry the server's own port.
            let text = String(decoding: received, as: UTF8.self).replacingOccurrences(of: server.baseURL, with: "http://server")
            return (status, Array(text.utf8))
        }
        let original = try await answer(dialect)
        let copy = try await answer(dialect + "-copy")
        #expect(original.0 == 200)
        #expect(copy.0 == original.0 && copy.1 == original.1, "\(dialect): the copy answered differently")
    }

    @Test("run: the reference client's verdicts on every cassette of a dialect are the same under its copy")
    func run() async throws {
        let catalog = try Self.copiedCatalog()
        var selection = SuiteSelection()
        selection.chunkings = ["whole"]
        selection.fullSizeChunkings = []
        selection.includeWire = false
        let cassettes = try Fixtures.allCassettes().filter { $0.cassette.dialect != "openai" }
        let copies = cassettes.map { entry -> (cassette: Cassette, file: String) in
            var copy = entry.cassette
            copy.dialect += "-copy"
            return (copy, entry.file)
        }
        var configuration = ConformanceRunner.Configuration()
        configuration.workDirectory = Fixtures.temporaryFolder()
        func verdicts(_ cassettes: [(cassette: Cassette, file: String)]) async throws -> [String] {
            let suite = try SuiteBuilder.build(cassettes: cassettes, wireCases: [], selection: selection, catalog: catalog)
            return try await ConformanceRunner(configuration: configuration, catalog: catalog).run(suite, driver: ReferenceClient())
                .map { "\($0.id) \($0.verdict) \($0.violations.map(\.ruleID))" }
        }
        let original = try await verdicts(cassettes)
        #expect(original.count > 100)
        #expect(try await verdicts(copies) == original)
    }
}
