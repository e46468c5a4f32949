import Cassette
import Delivery
import Foundation
import ImageStreamSpec
import MockServer
import SSEWire
import ServerTestKit
import Testing

/// Cassettes replayed through the server reach the client byte for byte, with their chunk
/// boundaries when paced, whatever the scenario.
@Suite("Cassette replay over loopback", .serialized)
struct CassetteReplayTests {
    static func makeCassette(_ name: String, scenario: String = "default") throws -> Cassette {
        try CassetteFactory.synthesize(
            name: name, surface: "images.generate", dialect: "openai",
            requestJSON: #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1024x1024","output_format":"jpeg","quality":"low"}"#,
            scenario: try Scenario(parsing: scenario), catalog: try SpecCatalog.load(from: ServerHarness.specsDirectory), tool: "tests"
        )
    }

    @Test("The recorded bytes come back for every chunking; a name in the path selects the cassette", arguments: ["default", "chunking=adversarial,seed=2", "chunking=recorded,time-scale=0", "chunking=bytes", "framing=close"])
    func replay(_ scenario: String) async throws {
        let normal = try Self.makeCassette("normal")
        let truncated = try Self.makeCassette("truncated", scenario: "fault=drop-final")
        try await ServerHarness.withServer({ $0.cassettes = [normal, truncated]; $0.synthesize = false }) { server in
            let client = LoopbackClient(port: server.port)
            let body = try #require(normal.requestFieldsJSON)
            for cassette in [normal, truncated] {
                let response = try await ServerHarness.blocking { try client.post("/c/\(cassette.name)/s/\(scenario)/v1/images/generations", json: body) }
                let same = response.body == cassette.response.recording.bytes
                #expect(same, "\(cassette.name) via \(scenario): \(response.body.count) bytes against \(cassette.response.recording.bytes.count)")
            }
            let unknown = try await ServerHarness.blocking { try client.post("/c/nothing/v1/images/generations", json: body) }
            #expect(unknown.status == 404)
            #expect(String(decoding: unknown.body, as: UTF8.self).contains("normal"))
        }
    }

    @Test("A named cassette's request is judged by the cassette's dialect, not the server's")
    func namedCassetteSpeaksItsDialect() async throws {
        let cassette = try Cassette.load(from: ServerHarness.cassettesDirectory + "/responses-aiswing-top-level.cassette.json")
        let body = try #require(cassette.requestFieldsJSON)
        try await ServerHarness.withServer({ $0.cassettes = [cassette]; $0.synthesize = false }) { server in
            let client = LoopbackClient(port: server.port)
            // The top-level prompt has no `input`: the openai dialect refuses it, aiswing's page documents it.
            let named = try await ServerHarness.blocking { try client.post("/c/\(cassette.name)/v1/responses", json: body) }
            #expect(named.status == 200, "\(String(decoding: named.body, as: UTF8.self).prefix(300))")
            #expect(named.body == cassette.response.recording.bytes)
            let unnamed = try await ServerHarness.blocking { try client.post("/v1/responses", json: body) }
            #expect(unnamed.status == 400)
        }
    }

    @Test("Recorded chunking, paced, arrives in the recorded pieces")
    func recordedBoundaries() async throws {
        let cassette = try Self.makeCassette("normal")
        try await ServerHarness.withServer({ $0.cassettes = [cassette]; $0.synthesize = false }) { server in
            let body = try #require(cassette.requestFieldsJSON)
            let response = try await ServerHarness.blocking {
                try LoopbackClient(port: server.port).post("/s/chunking=recorded,time-scale=0,pace=20ms,framing=close/v1/images/generations", json: body, readSize: 1 << 20)
            }
            let chunkLengths = zip(cassette.response.recording.chunkEnds, [0] + cassette.response.recording.chunkEnds).map { $0 - $1 }
            #expect(response.body == cassette.response.recording.bytes)
            // The first chunk may share a read with the response head; every later one is a read of its own.
            #expect(Array(response.reads.suffix(chunkLengths.count - 1)) == Array(chunkLengths.dropFirst()), "reads \(response.reads) for chunks \(chunkLengths)")
        }
    }
}

@Suite("Large bodies reach slow and fast clients whole", .serialized)
struct LargeBodyTests {
    /// One event whose data is 8 MiB, larger than any socket buffer.
    static let cassette: Cassette = {
        let body = Array("event: image_generation.completed\ndata: ".utf8) + Array(repeating: UInt8(ascii: "A"), count: 8 << 20) + Array("\n\n".utf8)
        return Cassette(
            name: "big", surface: "images.generate", dialect: "openai",
            provenance: .synthesized(tool: "tests", parameters: "{}"),
            request: RecordedRequest(method: "POST", path: "/v1/images/generations", body: .json(#"{"prompt":"x"}"#)),
            response: RecordedResponse(status: 200, headers: [Header("Content-Type", "text/event-stream")],
                                       recording: SSERecording(bytes: body), chunkTimes: [.zero], ending: .complete)
        )
    }()

    @Test("Every framing delivers the whole body, and an early close delivers exactly its bytes", arguments: [
        ("default", 0), ("framing=close", 0), ("framing=length", 0), ("chunking=fixed:65536,framing=close", 0), ("fault=close-after-bytes:5000000,framing=close", 5_000_000),
    ])
    func whole(scenario: String, cut: Int) async throws {
        try await ServerHarness.withServer({ $0.cassettes = [Self.cassette]; $0.synthesize = false }) { server in
            let response = try await ServerHarness.blocking {
                try LoopbackClient(port: server.port).post("/c/big/s/\(scenario)/v1/images/generations", json: #"{"prompt":"x"}"#, readSize: 1 << 20)
            }
            let expected = cut == 0 ? Self.cassette.response.recording.bytes.count : cut
            #expect(response.body.count == expected)
        }
    }
}
