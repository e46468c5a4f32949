import Foundation
import TestKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Stopping a proxy loses nothing: what is being recorded finishes and is saved first.
@Suite("tapedeck proxy stops without losing a recording", .serialized)
struct ProxyStopTests {
    static let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1024x1024"}"#

    @Test("Ctrl-C mid-stream: the client gets the whole stream, the cassette is saved complete, exit 0", .timeLimit(.minutes(2)))
    func interruptMidStream() throws {
        let folder = try Scratch.folder("proxy-stop")
        // A slow upstream: the stream is still arriving when the proxy is interrupted.
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet", "--chunking", "fixed:1024", "--pace", "40ms"])
        defer { _ = upstream.stop() }
        let proxy = try BackgroundProcess.tapedeck([
            "proxy", "--upstream", upstream.url, "--cassettes", folder.path, "--record-mode", "all",
        ])
        let port = try #require(URLComponents(string: proxy.url)?.port)
        let client = try StreamingSocket(port: port)
        try client.send("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(Self.body.utf8.count)\r\nConnection: close\r\n\r\n\(Self.body)")
        // The head and the first body bytes have arrived: the stream is under way.
        let start = try client.read(until: "data: ")
        kill(proxy.process.processIdentifier, SIGINT)
        let received = start + (try client.readToEnd())
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.contains("image_generation.completed"), "the client's stream was cut: \(text.suffix(200))")
        #expect(text.hasSuffix("0\r\n\r\n"), "the chunked body did not end")

        let deadline = Date().addingTimeInterval(40)
        while proxy.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!proxy.process.isRunning, "the proxy did not exit after its streams finished")
        let log = proxy.stop()
        #expect(proxy.process.terminationStatus == 0)
        #expect(log.output.contains("stopping: 1 stream(s) in flight"), "\(log.output)")
        #expect(log.output.contains("recorded"), "\(log.output)")
        let cassettes = Scratch.files(under: folder).filter { $0.lastPathComponent.hasSuffix(".cassette.json") }
        #expect(cassettes.count == 1)
        let cassette = try String(contentsOf: try #require(cassettes.first), encoding: .utf8)
        #expect(cassette.contains(#""ending" : "complete""#) || cassette.contains(#""ending": "complete""#), "\(cassette.prefix(600))")
    }
}

/// A blocking loopback socket read in steps, so a test can act between the first bytes and the end.
final class StreamingSocket {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = try LoopbackSocket.connect(port: port)
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw LoopbackSocket.Failure(what: "send", code: errno) }
            sent += result
        }
    }

    /// Reads until `marker` has arrived; returns everything read.
    func read(until marker: String) throws -> [UInt8] {
        var received: [UInt8] = []
        while received.firstRange(of: Array(marker.utf8)) == nil {
            let piece = try readSome()
            guard !piece.isEmpty else { break }
            received += piece
        }
        return received
    }

    func readToEnd() throws -> [UInt8] {
        var received: [UInt8] = []
        while true {
            let piece = try readSome()
            if piece.isEmpty { return received }
            received += piece
        }
    }

    private func readSome() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[..<count]) }
            if errno != EINTR { throw LoopbackSocket.Failure(what: "recv", code: errno) }
        }
    }
}
