import Foundation
import TestKit
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately plain HTTP/1.1 client over a blocking socket, so tests see exactly what
/// arrives: every read's size, the raw head, and how the connection ended.
struct LoopbackClient {
    struct Response {
        var head: String
        var status: Int
        /// The body with HTTP framing removed (chunked decoded).
        var body: [UInt8]
        /// The size of every read(2) of the raw connection.
        var reads: [Int]
        var ending: Ending

        func header(_ name: String) -> String? {
            head.split(separator: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
        }
    }

    enum Ending: Equatable { case closed, reset }

    let port: Int

    /// Sends raw request bytes and reads until the server closes (requests say Connection: close).
    /// `idleFirst` seconds pass between connecting and sending, as a pooled connection waits.
    func exchange(_ request: [UInt8], readSize: Int = 65536, idleFirst: Double = 0) throws -> Response {
        let socket = try LoopbackSocket.connect(port: port)
        defer { close(socket) }
        if idleFirst > 0 { Thread.sleep(forTimeInterval: idleFirst) }
        var sent = 0
        while sent < request.count {
            let result = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { break }
            sent += result
        }
        var raw: [UInt8] = []
        var reads: [Int] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        var ending = Ending.closed
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { ending = .reset; break }
                throw ClientError.read(errno)
            }
            raw.append(contentsOf: buffer[..<count])
            reads.append(count)
        }
        return try Self.parse(raw, reads: reads, ending: ending)
    }

    func post(_ path: String, json: String, headers: [String] = [], readSize: Int = 65536) throws -> Response {
        let body = Array(json.utf8)
        var request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for header in headers { request += header + "\r\n" }
        request += "\r\n"
        return try exchange(Array(request.utf8) + body, readSize: readSize)
    }

    func get(_ path: String) throws -> Response {
        try exchange(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    }

    static func parse(_ raw: [UInt8], reads: [Int], ending: Ending) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            return Response(head: String(decoding: raw, as: UTF8.self), status: 0, body: [], reads: reads, ending: ending)
        }
        let head = String(decoding: raw[..<end], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var body = Array(raw[(end + 4)...])
        if head.lowercased().contains("transfer-encoding: chunked") {
            body = decodeChunked(body)
        }
        return Response(head: head, status: status, body: body, reads: reads, ending: ending)
    }

    /// Decodes as much chunked framing as arrived.
    static func decodeChunked(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].firstIndex(of: 13), let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self), radix: 16) else { break }
            if size == 0 { break }
            let start = lineEnd + 2
            let stop = min(start + size, bytes.count)
            output.append(contentsOf: bytes[start..<stop])
            index = stop + 2
        }
        return output
    }

    enum ClientError: Error { case read(Int32) }
}
