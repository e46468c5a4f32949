import Foundation
import TestKit
import Testing

@Suite("tapedeck events")
struct EventsCommandTests {
    @Test("Prints one JSON object per event of a bundled image stream")
    func bundledStream() throws {
        let stream = TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/streams/images-generate-partial-2.sse").path
        let result = try TapedeckProcess.run(["events", stream])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        let events = try result.outputLines.map(TapedeckProcess.object)
        #expect(events.map { $0["event"] as? String } == ["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"])
        #expect(events.allSatisfy { Set($0.keys) == ["event", "data", "id"] })
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(((events[0]["data"] as? String) ?? "").utf8)) as? [String: Any])
        #expect(payload["partial_image_index"] as? Int == 0)
    }

    @Test("Reports the last event ID, an applied retry, and byte offsets on request")
    func keys() throws {
        let input = Array("retry: 2500\nid: 7\ndata: a\n\ndata: b\n\n".utf8)
        let result = try TapedeckProcess.run(["events", "--offsets"], input: input)
        let events = try result.outputLines.map(TapedeckProcess.object)
        #expect(events.count == 2)
        #expect(events[0]["id"] as? String == "7")
        #expect(events[0]["retry"] as? Int == 2500)
        #expect(events[0]["offsets"] as? [Int] == [0, 26])
        #expect(events[1]["id"] as? String == "7")
        #expect(events[1]["retry"] == nil)
        #expect(events[1]["offsets"] as? [Int] == [27, 35])
    }

    @Test("Escapes quotes, backslashes and control characters, and repairs invalid UTF-8")
    func escaping() throws {
        let input = Array("data: \"q\" \\ \t".utf8) + [0x01, 0xFF] + Array("\ndata: 猫\n\n".utf8)
        let result = try TapedeckProcess.run(["events"], input: input)
        let event = try TapedeckProcess.object(try #require(result.outputLines.first))
        #expect(event["data"] as? String == "\"q\" \\ \t\u{01}\u{FFFD}\n猫")
    }

    @Test("Says so on standard error when the stream ends mid-event, and still exits 0")
    func midEvent() throws {
        let result = try TapedeckProcess.run(["events"], input: Array("data: a\n\ndata: cut off".utf8))
        #expect(result.status == 0)
        #expect(result.outputLines.count == 1)
        #expect(result.standardError.contains("stream ended mid-event"))
        #expect(result.standardError.contains("bytes 9–21"))
    }

    @Test("Binary junk yields whatever events the rules yield, and exit 0")
    func binaryJunk() throws {
        var generator = SeededRandom(seed: 200_000)
        let junk = generator.bytes(200_000)
        let result = try TapedeckProcess.run(["events"], input: junk + Array("\n\ndata: after junk\n\n".utf8))
        #expect(result.status == 0)
        let last = try TapedeckProcess.object(try #require(result.outputLines.last))
        #expect(last["data"] as? String == "after junk")
    }

    @Test("An unreadable file gives one clear line and exit 2", arguments: ["/nonexistent/stream.sse", "/"])
    func unreadable(path: String) throws {
        let result = try TapedeckProcess.run(["events", path])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("cannot read '\(path)'"))
    }

    @Test("Prints each event as it completes, before the input ends")
    func streamsAsItReads() throws {
        let process = Process()
        process.executableURL = TapedeckProcess.executable
        process.arguments = ["events"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer { process.terminate() }
        input.fileHandleForWriting.write(Data("data: first\n\n".utf8))
        // The input stays open: the event must arrive anyway.
        let line = try readLine(from: output.fileHandleForReading, timeout: .seconds(10))
        #expect(line == #"{"event":"message","data":"first","id":""}"#)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("--help explains the output keys and the exit statuses")
    func help() throws {
        let result = try TapedeckProcess.run(["events", "--help"])
        #expect(result.status == 0)
        let help = result.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["`event`", "`data`", "`id`", "`retry`", "stream ended mid-event", "Exit 0", "standard input", "tapedeck events Cassettes/streams/"] {
            #expect(help.contains(phrase), "help lacks \(phrase)")
        }
    }

    private func readLine(from handle: FileHandle, timeout: Duration) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var bytes = Data()
        while ContinuousClock.now < deadline {
            var poll = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, 100) > 0 else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk)
            if let newline = bytes.firstIndex(of: 0x0A) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        throw TimedOut()
    }

    struct TimedOut: Error {}
}

@Suite("tapedeck version")
struct VersionCommandTests {
    @Test("Names the libcurl and libxml2 it runs on")
    func libraries() throws {
        let result = try TapedeckProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.outputLines.first?.hasPrefix("tapedeck ") == true)
        #expect(result.standardOutput.contains("libcurl/"))
        #expect(result.standardOutput.contains("libxml2/"))
    }
}
