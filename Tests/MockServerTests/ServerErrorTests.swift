import Foundation
import MockServer
import ServerTestKit
import Testing

/// Every bad request gets a clear OpenAI-shaped answer or a clean close, and the server keeps
/// serving everyone else.
@Suite("Bad requests and bad clients", .serialized)
struct ServerErrorTests {
    static let valid = #"{"model":"gpt-image-1","prompt":"an otter","stream":true,"partial_images":1,"size":"1024x1024"}"#

    @Test("OpenAI-shaped errors with the status, the type and the parameter", arguments: [
        ("/v1/images/generations", #"{"model":"gpt-image-1","prompt":"#, 400, "invalid_json", nil as String?),
        ("/v1/images/generations", #"{"model":"gpt-image-1","stream":true}"#, 400, "missing_required_parameter", "prompt"),
        ("/v1/images/generations", #"{"model":"gpt-image-1","prompt":"x","partial_images":9}"#, 400, "invalid_value", "partial_images"),
        ("/v1/images/variations", valid, 404, "not_found", nil),
        ("/s/chunking=sideways/v1/images/generations", valid, 400, "invalid_scenario", nil),
    ])
    func errors(path: String, body: String, status: Int, code: String, param: String?) async throws {
        try await ServerHarness.withServer { server in
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post(path, json: body) }
            #expect(response.status == status)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["code"] as? String == code)
            #expect(error["type"] as? String == "invalid_request_error")
            #expect((error["message"] as? String)?.isEmpty == false)
            #expect(error["param"] as? String == param)
        }
    }

    @Test("Without synthesis, a miss is a 404 naming the nearest cassette")
    func miss() async throws {
        try await ServerHarness.withServer({ $0.synthesize = false }) { server in
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post("/v1/images/generations", json: Self.valid) }
            #expect(response.status == 404)
            #expect(String(decoding: response.body, as: UTF8.self).contains("--synthesize"))
        }
    }

    @Test("GET on a route is 405; a body over the limit is 413")
    func methodAndSize() async throws {
        try await ServerHarness.withServer({ $0.maxRequestBytes = 1000 }) { server in
            let client = LoopbackClient(port: server.port)
            let get = try await ServerHarness.blocking { try client.exchange(Array("GET /v1/images/generations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)) }
            #expect(get.status == 405)
            let big = #"{"model":"gpt-image-1","prompt":""# + String(repeating: "a", count: 5000) + #""}"#
            let large = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: big) }
            #expect(large.status == 413)
        }
    }

    @Test("Malformed HTTP, a megabyte of headers, and 1,000 abandoned connections: the server still serves")
    func abuse() async throws {
        try await ServerHarness.withServer { server in
            let client = LoopbackClient(port: server.port)
            let garbage = try await ServerHarness.blocking { try client.exchange(Array("NOT HTTP AT ALL\r\n\r\n".utf8)) }
            #expect(garbage.status == 400 || garbage.body.isEmpty)
            let headers = "POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n"
            let huge = try await ServerHarness.blocking { try client.exchange(Array(headers.utf8)) }
            #expect(huge.status != 200)
            try await ServerHarness.blocking {
                for _ in 0..<1000 {
                    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(server.port).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                    _ = "POST /v1/images/gen".withCString { send(socket, $0, 19, Int32(MSG_NOSIGNAL)) }
                    close(socket)
                }
            }
            let after = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: Self.valid) }
            #expect(after.status == 200)
        }
    }
}

@Suite("Clients that read slowly or leave mid-stream", .serialized)
struct SlowAndLeavingClientTests {
    static let request = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":3,"size":"1024x1024","output_format":"png"}"#

    /// Opens a connection, sends the request, reads `bytes` bytes slowly (or not at all), then closes.
    static func readSome(port: Int, path: String, bytes: Int, pause: useconds_t) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var size: Int32 = 4096
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }) == 0 else { return }
        let body = Array(request.utf8)
        let head = Array("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        _ = (head + body).withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 512)
        while received < bytes {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += count
            if pause > 0 { usleep(pause) }
        }
    }

    @Test("Twenty clients that read a few bytes slowly and twenty that leave mid-stream do not stop the others")
    func slowAndLeaving() async throws {
        try await ServerHarness.withServer { server in
            let port = server.port
            try await ServerHarness.blocking {
                let group = DispatchGroup()
                for index in 0..<40 {
                    group.enter()
                    Thread.detachNewThread {
                        // Half read 20 KB slowly then leave; half leave after the first bytes.
                        Self.readSome(port: port, path: "/s/chunking=fixed:4096/v1/images/generations", bytes: index % 2 == 0 ? 20_000 : 100, pause: index % 2 == 0 ? 2_000 : 0)
                        group.leave()
                    }
                }
                group.wait()
            }
            let after = try await ServerHarness.blocking { try LoopbackClient(port: port).post("/v1/images/generations", json: Self.request) }
            #expect(after.status == 200)
            #expect(after.body.count > 100_000)
        }
    }
}
