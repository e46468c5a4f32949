import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("tapedeck serve")
struct ServeCommandTests {
    @Test("Prints its URL on the first line, serves, and stops on SIGTERM even with a client connected")
    func lifecycle() throws {
        let process = Process()
        process.executableURL = TapedeckProcess.executable
        process.arguments = ["serve", "--synthesize", "--port", "0"]
        process.currentDirectoryURL = TapedeckProcess.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let firstLine = String(decoding: output.fileHandleForReading.readLine(), as: UTF8.self)
        #expect(firstLine.hasPrefix("http://127.0.0.1:"))

        let url = try #require(URL(string: firstLine + "/s/chunking=adversarial/v1/images/generations"))
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":1}"#.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var body = Data()
        URLSession.shared.dataTask(with: request) { data, _, _ in
            body = data ?? Data()
            done.signal()
        }.resume()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(String(decoding: body, as: UTF8.self).contains("image_generation.completed"))

        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }

    @Test("Skips a cassette that does not load, with a warning naming it, and serves the rest; a folder where none loads is an error")
    func skipsBadCassettes() throws {
        let folder = try Scratch.folder("serve-bad-cassette")
        let good = "images-generate-error-429.cassette.json"
        try FileManager.default.copyItem(at: TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/\(good)"), to: folder.appendingPathComponent(good))
        // A chunk length near Int.max: once an overflow that took the server down.
        var broken = try String(contentsOf: folder.appendingPathComponent(good), encoding: .utf8)
        let chunks = try #require(broken.range(of: #""chunks": ["#))
        let firstChunk = try #require(broken[chunks.upperBound...].range(of: #"\[[0-9]+, [0-9]+\]"#, options: .regularExpression))
        broken.replaceSubrange(firstChunk, with: broken[firstChunk] + ", [\(Int.max - 1), 999999999]")
        try broken.write(to: folder.appendingPathComponent("broken.cassette.json"), atomically: true, encoding: .utf8)

        let server = try BackgroundProcess.tapedeck(["serve", "--cassettes", folder.path, "--port", "0", "--quiet"])
        #expect(server.url.hasPrefix("http://127.0.0.1:"))
        var request = URLRequest(url: try #require(URL(string: server.url + "/c/images-generate-error-429/v1/images/generations")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"model":"gpt-image-1","prompt":"a sea otter","stream":true,"partial_images":2,"size":"1024x1024"}"#.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(status == 429)
        let (_, errors) = server.stop()
        #expect(errors.contains("skipped") && errors.contains("broken.cassette.json"), "\(errors)")

        try FileManager.default.removeItem(at: folder.appendingPathComponent(good))
        let alone = try TapedeckProcess.run(["serve", "--cassettes", folder.path, "--port", "0"])
        #expect(alone.status == 2)
        #expect(alone.standardError.contains("broken.cassette.json"), "\(alone.standardError)")
    }

    @Test("A --wire folder that is missing or holds no case is an error naming it (exit 2)")
    func wireFolder() throws {
        let empty = try Scratch.folder("serve-empty-wire")
        for (folder, message) in [("/nonexistent-wire", "cannot read /nonexistent-wire"), (empty.path, "holds no *.sse file")] {
            let result = try TapedeckProcess.run(["serve", "--synthesize", "--wire", folder])
            #expect(result.status == 2)
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
    }

    @Test("Refuses to start without cassettes or synthesis, saying what to give")
    func nothingToServe() throws {
        let result = try TapedeckProcess.run(["serve"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--synthesize"))
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
