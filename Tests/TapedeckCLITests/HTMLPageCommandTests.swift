import Foundation
import Testing

@Suite("HTML pages from cassette show and record", .serialized)
struct HTMLPageCommandTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func thumbnailCount(_ html: String) -> Int {
        html.matches(of: /<img class="thumb" src="data:image\/png;base64,/).count
    }

    @Test("cassette show --html writes the session page beside the cassette, findings and filmstrip included")
    func showBesideCassette() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = "images-generate-truncated-final-image"
        let cassette = folder.appendingPathComponent("\(name).cassette.json")
        try FileManager.default.copyItem(at: TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/\(name).cassette.json"), to: cassette)

        let result = try TapedeckProcess.run(["cassette", "show", "--html", cassette.path])
        #expect(result.status == 0, "\(result.standardError)")
        let page = folder.appendingPathComponent("\(name).html")
        #expect(result.standardOutput == page.path + "\n")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<title>Session \(name)</title>"))
        #expect(html.contains("<section class=\"scenario v-fail\""), "the truncated final breaks a MUST")
        #expect(html.contains("IMAGE-002"))
        #expect(Self.thumbnailCount(html) == 2)
        #expect(html.contains("<li class=\"frame st-truncated role-final\">"))
        #expect(html.contains("<pre class=\"wire\">event: image_generation.partial_image\\n"))
    }

    @Test("cassette show --html --out FOLDER/ writes one page per cassette there")
    func showIntoFolder() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["images-generate-png-partial-2", "images-generate-missing-final"]
        let paths = names.map { TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/\($0).cassette.json").path }
        let result = try TapedeckProcess.run(["cassette", "show", "--html", "--out", folder.path + "/"] + paths)
        #expect(result.status == 0, "\(result.standardError)")
        let pass = try String(contentsOf: folder.appendingPathComponent("images-generate-png-partial-2.html"), encoding: .utf8)
        #expect(pass.contains("<section class=\"scenario v-pass\"") && Self.thumbnailCount(pass) == 3)
        let missing = try String(contentsOf: folder.appendingPathComponent("images-generate-missing-final.html"), encoding: .utf8)
        #expect(missing.contains("<li class=\"frame st-missing role-final\">"))
    }

    @Test("--out without --html, or a file --out for several cassettes, is a usage error", arguments: [
        ["cassette", "show", "--out", "x.html", "a.cassette.json"],
        ["cassette", "show", "--html", "--out", "x.html", "a.cassette.json", "b.cassette.json"],
    ])
    func usageErrors(_ arguments: [String]) throws {
        let result = try TapedeckProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.standardError.contains("--out"))
    }

    @Test("record writes the session page into --report (--no-report skips it) and, with --junit, a JUnit report")
    func record() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = Process()
        server.executableURL = TapedeckProcess.executable
        server.arguments = ["serve", "--synthesize", "--port", "0", "--quiet"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let base = String(decoding: output.fileHandleForReading.readLine(), as: UTF8.self)
        #expect(base.hasPrefix("http://127.0.0.1:"))
        let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1024x1024"}"#

        let reports = folder.appendingPathComponent("Reports")
        let recorded = try TapedeckProcess.run([
            "record", "--url", base + "/v1/images/generations", "--body", body,
            "--out", folder.appendingPathComponent("otter.cassette.json").path, "--report", reports.path,
        ])
        #expect(recorded.status == 0, "\(recorded.standardError)")
        let page = reports.appendingPathComponent("index.html")
        #expect(recorded.standardOutput.contains("report: \(page.path)"))
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<title>Session otter</title>"))
        #expect(html.contains("· recorded from <b>127.0.0.1"))
        #expect(Self.thumbnailCount(html) == 3, "two partials and the final")
        #expect(html.contains("<circle class=\"event ev-final\""))

        // --junit writes the recording's validation through the writer run and validate use.
        let junit = folder.appendingPathComponent("record-junit.xml").path
        let withJUnit = try TapedeckProcess.run([
            "record", "--url", base + "/v1/images/generations", "--body", body,
            "--out", folder.appendingPathComponent("junit.cassette.json").path, "--no-report", "--junit", junit,
        ])
        #expect(withJUnit.status == 0, "\(withJUnit.standardError)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("junit.cassette.json"))
        let check = try TapedeckProcess.run(["report", "check", "--schemas", TapedeckProcess.repositoryRoot.appendingPathComponent("Reports/schemas").path, junit])
        #expect(check.status == 0, "\(check.standardOutput)")

        let quiet = folder.appendingPathComponent("Quiet")
        let skipped = try TapedeckProcess.run([
            "record", "--url", base + "/v1/images/generations", "--body", body,
            "--out", folder.appendingPathComponent("again.cassette.json").path, "--report", quiet.path, "--no-report",
        ])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        #expect(!FileManager.default.fileExists(atPath: quiet.path))
    }
}

private extension FileHandle {
    /// Reads up to the first newline.
    func readLine() -> Data {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { return line }
            line.append(byte)
        }
    }
}
