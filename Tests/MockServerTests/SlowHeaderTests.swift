import Foundation
import MockServer
import ServerTestKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Headers sent a line at a time, forever, do not hold a connection open (slowloris).
@Suite("Slow request heads", .serialized)
struct SlowHeaderTests {
    /// Sends a request head one line per `interval`, never finishing it; returns how long the
    /// server kept the connection open, or nil when it was still open after `limit`.
    static func dripHeaders(port: Int, interval: Double, limit: Double) -> Double? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let started = Date()
        var line = 0
        while Date().timeIntervalSince(started) < limit {
            let text = Array((line == 0 ? "POST /v1/images/generations HTTP/1.1\r\n" : "X-Slow-\(line): a\r\n").utf8)
            let sent = text.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return Date().timeIntervalSince(started) }
            line += 1
            // A closed connection reads as end of file.
            var pollDescriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if poll(&pollDescriptor, 1, Int32(interval * 1000)) > 0 {
                var byte: UInt8 = 0
                if recv(socket, &byte, 1, 0) <= 0 { return Date().timeIntervalSince(started) }
            }
        }
        return nil
    }

    @Test("A head still incomplete after the header timeout is closed; the server keeps serving", .timeLimit(.minutes(1)))
    func slowloris() async throws {
        try await ServerHarness.withServer({ $0.headerTimeout = .seconds(1) }) { server in
            let held = try await ServerHarness.blocking { Self.dripHeaders(port: server.port, interval: 0.2, limit: 15) }
            let closedAfter = try #require(held, "the connection was still open after 15 s")
            #expect(closedAfter >= 0.9)
            let next = try await ServerHarness.blocking { try LoopbackClient(port: server.port).post("/v1/images/generations", json: #"{"model":"gpt-image-1","prompt":"x"}"#) }
            #expect(next.status == 200)
        }
    }

    @Test("A connection that stays idle longer than the header timeout is not cut: its request, sent later, is answered", .timeLimit(.minutes(1)))
    func patientClients() async throws {
        try await ServerHarness.withServer({ $0.headerTimeout = .seconds(1) }) { server in
            // Idle for twice the timeout, then a request on the same connection: answered.
            let body = #"{"model":"gpt-image-1","prompt":"x"}"#
            let request = Array("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(request, idleFirst: 2) }
            #expect(response.status == 200)
        }
    }
}
