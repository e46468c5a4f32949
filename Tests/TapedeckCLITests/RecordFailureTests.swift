import Foundation
import Testing

@Suite("tapedeck record when things go wrong", .serialized)
struct RecordFailureTests {
    static let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1024x1024"}"#

    @Test("No server: one line naming the URL and the cause, exit 2, and a cassette only with --record-failures")
    func unreachable() throws {
        for recordFailures in [false, true] {
            let folder = try Scratch.folder("unreachable")
            let out = folder.appendingPathComponent("down.cassette.json").path
            let result = try TapedeckProcess.run(
                ["record", "--url", "http://127.0.0.1:1/v1/images/generations", "--body", Self.body, "--out", out]
                    + (recordFailures ? ["--record-failures"] : [])
            )
            #expect(result.status == 2)
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.first?.contains("no response from http://127.0.0.1:1/v1/images/generations") == true, "\(result.standardError)")
            #expect(lines.first?.contains("check that the server is running") == true, "\(result.standardError)")
            #expect(lines.count == (recordFailures ? 2 : 1), "\(result.standardError)")
            #expect(FileManager.default.fileExists(atPath: out) == recordFailures)
            if recordFailures {
                let text = try String(contentsOfFile: out, encoding: .utf8)
                #expect(text.contains(#""ending": "failed""#))
                #expect(text.contains(#""status": 502"#))
                #expect(text.contains("upstream_connect_failed"))
            }
        }
    }

    @Test("Killed with SIGKILL mid-stream: no file that loads as a whole cassette is left")
    func killedMidStream() throws {
        let folder = try Scratch.folder("killed")
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet"])
        defer { _ = upstream.stop() }
        let recorder = Process()
        recorder.executableURL = TapedeckProcess.executable
        recorder.arguments = [
            "record", "--url", "\(upstream.url)/s/chunking=fixed:2048,pace=200ms/v1/images/generations",
            "--body", Self.body, "--out", folder.appendingPathComponent("slow.cassette.json").path,
        ]
        recorder.standardOutput = FileHandle.nullDevice
        recorder.standardError = FileHandle.nullDevice
        try recorder.run()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(recorder.isRunning, "the stream should still be arriving")
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(recorder.terminationReason == .uncaughtSignal)
        for file in Scratch.files(under: folder) {
            let name = file.lastPathComponent
            #expect(!(name.hasSuffix(".cassette.json") && !name.hasPrefix(".")), "\(name) looks like a cassette")
        }
        let listed = try TapedeckProcess.run(["cassette", "show", folder.path])
        #expect(!listed.standardOutput.contains("slow"))
    }
}

@Suite("tapedeck record --route", .serialized)
struct RecordRouteTests {
    @Test("A dialect's route, by name, is where the request goes; a name it does not have lists the ones it has")
    func routes() throws {
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet"])
        defer { _ = upstream.stop() }
        // A copy of Specs/ with a gateway of its own whose route is the local server.
        let folder = try Scratch.folder("routes")
        let specs = folder.appendingPathComponent("Specs")
        try FileManager.default.copyItem(at: TapedeckProcess.repositoryRoot.appendingPathComponent("Specs"), to: specs)
        try """
        format: tapedeck-spec/1
        kind: dialect
        dialect: local
        title: A gateway on this machine
        surfaces: [images.generate]
        source: this test
        settings:
          routes:
            - {name: here, url: "\(upstream.url)/v1/images/generations"}
        """.write(to: specs.appendingPathComponent("dialects/local.yaml"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("routed.cassette.json").path
        let recorded = try TapedeckProcess.run(["record", "--specs", specs.path, "--dialect", "local", "--route", "here", "--body", RecordFailureTests.body, "--out", out, "--no-report"])
        #expect(recorded.status == 0, "\(recorded.standardError)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("image_generation.completed"))

        let unknown = try TapedeckProcess.run(["record", "--dialect", "aiswing", "--route", "backup", "--body", "{}", "--out", out])
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("cdn (https://cdn.aiswing.fun/v1/responses), gpt"), "\(unknown.standardError)")
        let none = try TapedeckProcess.run(["record", "--dialect", "openai", "--route", "cdn", "--body", "{}", "--out", out])
        #expect(none.status == 64 && none.standardError.contains("names no routes"))
        let both = try TapedeckProcess.run(["record", "--url", "http://127.0.0.1:1/v1/responses", "--route", "cdn", "--body", "{}", "--out", out])
        #expect(both.status == 64)
    }
}
