import Foundation
import MockServer
import ServerTestKit
import Testing

/// Every answer a browser asks for carries the fields that let its page read it; other
/// clients' answers are unchanged.
@Suite("Cross-origin answers for browsers")
struct CrossOriginTests {
    static let generate = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":1}"#

    @Test("A preflight names the methods, echoes the asked headers and the origin", .timeLimit(.minutes(1)))
    func preflight() async throws {
        try await ServerHarness.withServer { server in
            let request = "OPTIONS /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type, x-stainless-os\r\nConnection: close\r\n\r\n"
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(Array(request.utf8)) }
            #expect(response.status == 204)
            #expect(response.header("Access-Control-Allow-Origin") == "http://localhost:5173")
            #expect(response.header("Access-Control-Allow-Methods") == "GET, POST, OPTIONS")
            #expect(response.header("Access-Control-Allow-Headers") == "authorization, content-type, x-stainless-os")
            #expect(response.header("Access-Control-Allow-Credentials") == "true")
        }
    }

    @Test("Answers to a page carry its origin, whatever the route and status; answers to other clients carry none",
          arguments: [
              ("/v1/images/generations", generate, 200),
              ("/s/fault=status:429/v1/images/generations", generate, 429),
              ("/v1/nothing-here", generate, 404),
              ("/v1/images/generations", #"{"model":"gpt-image-1"}"#, 400),
          ])
    func answers(path: String, body: String, status: Int) async throws {
        try await ServerHarness.withServer { server in
            let fromPage = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post(path, json: body, headers: ["Origin: null"]) }
            #expect(fromPage.status == status)
            #expect(fromPage.header("Access-Control-Allow-Origin") == "null")
            #expect(fromPage.header("Vary") == "Origin")
            let fromScript = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post(path, json: body) }
            #expect(fromScript.status == status)
            #expect(fromScript.header("Access-Control-Allow-Origin") == nil)
            #expect(fromScript.body == fromPage.body)
        }
    }
}
