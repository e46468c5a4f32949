import Foundation
import MockServer
import ServerTestKit
import Testing

/// One bad request gets an error answer; the server keeps serving the next.
@Suite("Hostile requests", .serialized)
struct HostileRequestTests {
    @Test("A multipart body without a usable boundary is a 400 naming the boundary, and the server keeps serving", arguments: [
        "multipart/form-data; boundary=",
        #"multipart/form-data; boundary="""#,
        "multipart/form-data; boundary=;",
        "multipart/form-data",
        "multipart/form-data; boundary=" + String(repeating: "b", count: 71),
    ])
    func emptyBoundary(contentType: String) async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let body = Array("--\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n----\r\n".utf8)
            let request = Array("POST /v1/images/edits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
            let refused = try await ServerHarness.blocking { try client.exchange(request) }
            #expect(refused.status == 400)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("boundary"))
            let next = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: #"{"model":"gpt-image-1","prompt":"x"}"#) }
            #expect(next.status == 200)
        }
    }

    @Test("An image larger than any model makes is a 400 naming the limit, answered at once", arguments: [
        ("/v1/responses", #"{"model":"gpt-4.1","input":"otter","stream":true,"tools":[{"type":"image_generation","size":"9984x9984"}]}"#),
        ("/v1/images/generations", #"{"model":"some-model","prompt":"otter","size":"4000x1000"}"#),
        ("/v1/images/generations", #"{"model":"some-model","prompt":"otter","size":"3840x3840"}"#),
    ])
    func imagesTooLarge(path: String, body: String) async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let refused = try await ServerHarness.blocking { try client.post(path, json: body) }
            #expect(refused.status == 400)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("3840"), "\(String(decoding: refused.body, as: UTF8.self))")
        }
    }

    @Test("A JSON body's string is not a number, even when every field is a string; a form's is")
    func stringsAreNotNumbers() async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let refused = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: #"{"model":"gpt-image-1","prompt":"x","n":"2"}"#) }
            #expect(refused.status == 400)
            #expect(String(decoding: refused.body, as: UTF8.self).contains(#""param":"n""#))
            let form = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\r\n--b--\r\n"
            let body = Array(form.utf8)
            let request = Array("POST /v1/images/edits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
            let accepted = try await ServerHarness.blocking { try client.exchange(request) }
            #expect(accepted.status == 200, "\(String(decoding: accepted.body.prefix(300), as: UTF8.self))")
        }
    }
}
