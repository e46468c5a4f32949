import Foundation
import ImageStreamSpec
import MockServer
import SSEWire
import ServerTestKit
import Testing

/// `tapedeck serve --synthesize` over a real socket: every surface and chunking gives a
/// stream the validator accepts, and delivery never changes what a client parses.
@Suite("Synthesized responses over loopback", .serialized)
struct SynthesisOverLoopbackTests {
    static let requests: [(surface: String, path: String, body: String)] = [
        ("images.generate", "/v1/images/generations", #"{"model":"gpt-image-1","prompt":"an otter","stream":true,"partial_images":2,"size":"1024x1024","output_format":"png"}"#),
        ("images.edit", "/v1/images/edits", #"{"model":"gpt-image-1","prompt":"a hat","stream":true,"partial_images":1,"size":"1536x1024","output_format":"jpeg","images":[{"image_url":"data:image/png;base64,iVBORw0KGgo="}]}"#),
        ("responses", "/v1/responses", #"{"model":"gpt-5","input":"a lighthouse","stream":true,"tools":[{"type":"image_generation","partial_images":3,"output_format":"webp","size":"1024x1536"}]}"#),
    ]

    static let chunkings = ["whole", "fixed:5", "random", "adversarial"]

    @Test("Every surface, every chunking: the stream conforms and parses the same", arguments: Self.requests.indices, Self.chunkings)
    func synthesized(requestIndex: Int, chunking: String) async throws {
        let request = Self.requests[requestIndex]
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let whole = try await ServerHarness.blocking { try client.post("/s/seed=1\(request.path)", json: request.body) }
            let cut = try await ServerHarness.blocking { try client.post("/s/chunking=\(chunking),seed=1\(request.path)", json: request.body) }
            #expect(whole.status == 200)
            #expect(whole.header("Content-Type") == "text/event-stream")
            let same = cut.body == whole.body
            #expect(same, "delivery changed the bytes: \(cut.body.count) against \(whole.body.count)")
            let spec = try SpecCatalog.load(from: ServerHarness.specsDirectory).resolve(surface: request.surface)
            let report = Validator(spec: spec).validate(ValidationInput(request: try JSONValue.parse(request.body), response: .stream(cut.body)))
            #expect(report.findings.filter { $0.level == .must }.map { "\($0.ruleID): \($0.message)" } == [])
        }
    }

    @Test("A scenario in the path changes only that request; the same request gives the same bytes")
    func reproducible() async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let body = Self.requests[0].body
            let first = try await ServerHarness.blocking { try client.post("/s/chunking=random,seed=9/v1/images/generations", json: body) }
            let second = try await ServerHarness.blocking { try client.post("/s/chunking=random,seed=9/v1/images/generations", json: body) }
            let same = first.body == second.body
            #expect(same)
            let crlf = try await ServerHarness.blocking { try client.post("/s/eol=crlf,seed=9/v1/images/generations", json: body) }
            #expect(crlf.body.contains(13))
            #expect(SSEParser.parse(crlf.body).events.map(\.data) == SSEParser.parse(first.body).events.map(\.data))
        }
    }

    @Test("HTTP framing: chunked, Content-Length, or close-delimited", arguments: ["chunked", "length", "close"])
    func framing(_ framing: String) async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let response = try await ServerHarness.blocking { try client.post("/s/framing=\(framing)/v1/images/generations", json: Self.requests[0].body) }
            switch framing {
            case "chunked": #expect(response.header("Transfer-Encoding") == "chunked")
            case "length": #expect(response.header("Content-Length") == String(response.body.count))
            default: #expect(response.header("Content-Length") == nil && response.header("Transfer-Encoding") == nil)
            }
            #expect(SSEParser.parse(response.body).end == .clean)
        }
    }

    @Test("Faults reach the client: a reset, an early close, a truncated final image")
    func faults() async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let body = Self.requests[0].body
            let reset = try await ServerHarness.blocking { try client.post("/s/fault=reset-after-bytes:5000/v1/images/generations", json: body) }
            #expect(reset.ending == .reset)
            let closed = try await ServerHarness.blocking { try client.post("/s/fault=close-after-event:0/v1/images/generations", json: body) }
            #expect(SSEParser.parse(closed.body).events.count == 1)
            let truncated = try await ServerHarness.blocking { try client.post("/s/fault=truncate-final-image/v1/images/generations", json: body) }
            let spec = try SpecCatalog.load(from: ServerHarness.specsDirectory).resolve(surface: "images.generate")
            let report = Validator(spec: spec).validate(ValidationInput(request: try JSONValue.parse(body), response: .stream(truncated.body)))
            #expect(report.findings.contains { $0.ruleID == "IMAGE-002" })
        }
    }

    @Test("Paced fragments are written one by one: the client reads them in as many reads")
    func fragmentsArriveSeparately() async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let body = #"{"model":"gpt-image-1","prompt":"x","stream":true,"partial_images":0,"size":"1024x1024","output_format":"jpeg","quality":"low"}"#
            let response = try await ServerHarness.blocking { try client.exchange(Array("POST /s/chunking=fixed:1000,pace=2ms/v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8), readSize: 1_000_000) }
            #expect(response.body.count > 10_000)
            #expect(response.reads.count >= response.body.count / 1000 / 2, "\(response.reads.count) reads for \(response.body.count) bytes")
        }
    }
}
