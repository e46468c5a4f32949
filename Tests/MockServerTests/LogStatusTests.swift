import Cassette
import Foundation
import MockServer
import NIOConcurrencyHelpers
import ServerTestKit
import Testing

/// Each log line shows the status the client actually received.
@Suite("Serve's log shows the status sent", .serialized)
struct LogStatusTests {
    @Test("A cassette recorded with 429 is logged as 429; an injected fault's status wins over the recorded one", arguments: [
        ("/c/images-generate-error-429/v1/images/generations", 429),
        ("/c/images-generate-error-429/s/fault=status:500/v1/images/generations", 500),
        ("/c/images-generate-png-partial-2/v1/images/generations", 200),
    ])
    func loggedStatus(path: String, expected: Int) async throws {
        let cassettes = try ["images-generate-error-429", "images-generate-png-partial-2"].map {
            try Cassette.load(from: ServerHarness.cassettesDirectory + "/\($0).cassette.json")
        }
        let lines = NIOLockedValueBox<[String]>([])
        try await ServerHarness.withServer({ configuration in
            configuration.cassettes = cassettes
            configuration.synthesize = false
            configuration.log = { line in lines.withLockedValue { $0.append(line) } }
        }) { server in
            let body = try #require(cassettes[0].requestFieldsJSON)
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post(path, json: body, readSize: 1 << 20) }
            #expect(response.status == expected)
            let line = try #require(lines.withLockedValue { $0.first })
            #expect(line.contains("→ \(expected) "), "\(line.prefix(300))")
        }
    }

    @Test("A key in the query or the body stays out of the log line, which still reproduces the request")
    func keysStayOutOfTheLog() async throws {
        let secret = "sk-tapedeckLogSecret0123"
        let lines = NIOLockedValueBox<[String]>([])
        try await ServerHarness.withServer({ configuration in
            configuration.log = { line in lines.withLockedValue { $0.append(line) } }
        }) { server in
            let body = #"{"model":"gpt-image-1","prompt":"otter \#(secret)","stream":true,"api_key":"hunter2"}"#
            let response = try await ServerHarness.blocking {
                try LoopbackClient(port: server.port).post("/v1/images/generations?api_key=\(secret)", json: body, readSize: 1 << 20)
            }
            #expect(response.status == 200)
            let line = try #require(lines.withLockedValue { $0.first })
            #expect(!line.contains("tapedeckLogSecret"), "\(line.prefix(400))")
            #expect(!line.contains("hunter2"), "\(line.prefix(400))")
            #expect(line.contains("api_key=[redacted]"))
            #expect(line.contains("reproduce: curl"))
        }
    }
}
