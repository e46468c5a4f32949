import Foundation
import TestKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C during `tapedeck record` keeps what arrived, and never passes it off as whole.
@Suite("tapedeck record interrupted", .serialized)
struct RecordInterruptTests {
    static let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":3,"size":"1024x1024"}"#

    /// Waits a bounded time for a process to end.
    static func waitForExit(_ process: Process, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !process.isRunning
    }

    @Test("Mid-stream: the cassette holds what arrived, ends `interrupted`, does not validate; exit 130", .timeLimit(.minutes(2)))
    func midStream() throws {
        let folder = try Scratch.folder("record-interrupt")
        let out = folder.appendingPathComponent("cut.cassette.json").path
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet", "--chunking", "fixed:1024", "--pace", "100ms"])
        defer { _ = upstream.stop() }
        // --events prints a line per event as it arrives: the first line means the stream is under way.
        let record = try BackgroundProcess.tapedeck(["record", "--url", "\(upstream.url)/v1/images/generations", "--body", Self.body, "--out", out, "--events", "--no-report"])
        #expect(record.url.hasPrefix("event "))
        kill(record.process.processIdentifier, SIGINT)
        #expect(Self.waitForExit(record.process), "record did not stop")
        let printed = record.stop()
        #expect(record.process.terminationStatus == 130)
        #expect(printed.errors.contains("interrupted; what had arrived is saved in \(out)"), "\(printed.errors)")

        let cassette = try String(contentsOfFile: out, encoding: .utf8)
        #expect(cassette.contains(#""interrupted""#), "\(cassette.prefix(400))")
        let validation = try TapedeckProcess.run(["validate", out])
        #expect(validation.status == 1, "an interrupted recording must not pass as a whole stream: \(validation.standardOutput)")
        #expect(Scratch.files(under: folder).allSatisfy { !$0.lastPathComponent.hasPrefix(".") }, "a temporary file was left")
    }

    @Test("Before any response: no cassette, a line saying so; exit 130", .timeLimit(.minutes(2)))
    func beforeResponse() throws {
        let folder = try Scratch.folder("record-interrupt-early")
        let out = folder.appendingPathComponent("none.cassette.json").path
        // A server that accepts the connection and never answers.
        let (listener, port) = try LoopbackSocket.listen()
        defer { close(listener) }

        let record = Process()
        record.executableURL = TapedeckProcess.executable
        record.arguments = ["record", "--url", "http://127.0.0.1:\(port)/v1/images/generations", "--body", Self.body, "--out", out, "--no-report"]
        let errors = Pipe()
        record.standardError = errors
        record.standardOutput = Pipe()
        try record.run()
        // The connection arrives once the recorder (and its Ctrl-C watch) is running.
        let accepted = accept(listener, nil, nil)
        defer { close(accepted) }
        #expect(accepted >= 0)
        kill(record.processIdentifier, SIGINT)
        #expect(Self.waitForExit(record), "record did not stop")
        if record.isRunning {
            record.terminate()
            record.waitUntilExit()
        }
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(record.terminationStatus == 130)
        #expect(errorText.contains("interrupted before any response arrived; no cassette written"), "\(errorText)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
