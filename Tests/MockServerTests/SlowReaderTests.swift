import Foundation
import MockServer
import ServerTestKit
import Testing
import TestKit
#if canImport(Glibc)
import Glibc
#endif

/// Clients that stop reading hold the server back by their own sockets, not by its memory:
/// equal answers share one body, the bodies under way stay within a budget, and a large image
/// being made does not hold up other clients.
@Suite("Slow readers and large answers", .serialized)
struct SlowReaderTests {
    /// A request whose answer is an 8 MB stream: a 1024x1024 PNG at its real size, with a preview.
    static func fullSizeRequest(prompt: String) -> [UInt8] {
        let body = #"{"model":"gpt-image-1","prompt":"\#(prompt)","stream":true,"partial_images":1,"size":"1024x1024","output_format":"png"}"#
        let head = "POST /s/images=full-size/v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }

    /// Sends `request` from a socket with a tiny receive window and never reads the answer.
    static func stalledReader(port: Int, request: [UInt8]) throws -> Int32 {
        let socket = try LoopbackSocket.connect(port: port, receiveBuffer: 4096)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return socket
    }

    /// Polls `condition` every 20 ms for at most `seconds`; returns whether it came true.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test("Twelve clients that stop reading the same large answer share one body, freed when they leave", .timeLimit(.minutes(2)))
    func equalAnswersShareOneBody() async throws {
        try await ServerHarness.withServer { server in
            let sockets = try (0..<12).map { _ in try Self.stalledReader(port: server.port, request: Self.fullSizeRequest(prompt: "shared")) }
            // Each descriptor is closed exactly once: a second close could close another
            // test's socket that reused the number.
            var unclosed = sockets
            defer { unclosed.forEach { close($0) } }
            #expect(await Self.eventually(within: 60) { server.responsesUnderWay == 12 && server.deliveryBytesInUse > 0 }, "\(server.responsesUnderWay) of 12 answers under way")
            // Time for every request to plan its own answer, were it not shared.
            try await Task.sleep(for: .seconds(1))
            let held = server.deliveryBytesInUse
            // One 8 MB body, not twelve.
            #expect(held > 4 << 20)
            #expect(held < 12 << 20, "\(held) bytes held for 12 clients of one answer")
            sockets.forEach { close($0) }
            unclosed = []
            #expect(await Self.eventually(within: 30) { server.deliveryBytesInUse == 0 }, "\(server.deliveryBytesInUse) bytes still in use after every client left")
        }
    }

    @Test("An answer that does not fit the budget waits, then gets 503 server_busy; room made lets it in", .timeLimit(.minutes(2)))
    func budgetIsKept() async throws {
        try await ServerHarness.withServer({ $0.deliveryMemory = 10 << 20; $0.deliveryWait = .seconds(1) }) { server in
            let stalled = try Self.stalledReader(port: server.port, request: Self.fullSizeRequest(prompt: "first"))
            var stalledOpen = true
            defer { if stalledOpen { close(stalled) } }
            #expect(await Self.eventually(within: 60) { server.deliveryBytesInUse > 4 << 20 })

            // An equal request shares the body in use, so it fits.
            let equal = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(Self.fullSizeRequest(prompt: "first").closing) }
            #expect(equal.status == 200)

            // Another answer does not fit beside it.
            let refused = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(Self.fullSizeRequest(prompt: "second").closing) }
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            let message = String(decoding: refused.body, as: UTF8.self)
            #expect(message.contains("server_busy") && message.contains("--delivery-memory"), "\(message)")
            #expect(server.deliveryBytesInUse <= 10 << 20)

            close(stalled)
            stalledOpen = false
            #expect(await Self.eventually(within: 30) { server.deliveryBytesInUse == 0 })
            let admitted = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(Self.fullSizeRequest(prompt: "second").closing) }
            #expect(admitted.status == 200)
            #expect(admitted.body.count > 8 << 20)
        }
    }

    @Test("While two 4K images are being made, another client's request is answered first", .timeLimit(.minutes(2)))
    func makingImagesDoesNotBlockOthers() async throws {
        try await ServerHarness.withServer { server in
            let port = server.port
            // Full-size 4K WebP with alpha: seconds of encoding each, made by nothing else in the suite.
            let heavy = ["3840x2160", "2160x3840"].map { size in
                let body = #"{"model":"gpt-image-2","prompt":"slow-\#(size)","size":"\#(size)","output_format":"webp","background":"transparent"}"#
                return Array("POST /s/images=full-size/v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
            }
            let heavyHeads = heavy.map { request in Task { try await ServerHarness.blocking { try Self.timeOfFirstByte(port: port, request: request) } } }
            try await Task.sleep(for: .milliseconds(150))
            let small = Array(#"{"model":"gpt-image-1","prompt":"small"}"#.utf8)
            let smallRequest = Array("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(small.count)\r\nConnection: close\r\n\r\n".utf8) + small
            let smallHead = try await ServerHarness.blocking { try Self.timeOfFirstByte(port: port, request: smallRequest) }
            for task in heavyHeads {
                let heavyHead = try await task.value
                #expect(smallHead < heavyHead, "the small answer began \(heavyHead.timeIntervalSince(smallHead)) s after a 4K one")
            }
        }
    }

    /// When the answer's first byte arrived.
    static func timeOfFirstByte(port: Int, request: [UInt8]) throws -> Date {
        let socket = try LoopbackSocket.connect(port: port)
        defer { close(socket) }
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var byte: UInt8 = 0
        guard recv(socket, &byte, 1, 0) == 1 else { throw LoopbackSocket.Failure(what: "recv", code: errno) }
        return Date()
    }
}

private extension Array where Element == UInt8 {
    /// The request with `Connection: close`, so the client reads until the server closes.
    var closing: [UInt8] {
        let text = String(decoding: self, as: UTF8.self)
        return Array(text.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n").utf8)
    }
}
