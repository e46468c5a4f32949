import Foundation
import Testing

@Suite("Redaction from a config file", .serialized)
struct RecordSecretsTests {
    /// Shaped like no built-in pattern: only the config file can catch it.
    static let secret = "tdk-9f8e7d6c5b4a39281706"
    static let body = #"{"model":"gpt-image-1","prompt":"otter \#(secret)","stream":true,"partial_images":1,"size":"1024x1024"}"#

    static func config(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("redact.conf").path
        try "# our trace tokens\n\n  tdk-[0-9a-f]{20}  \n# end\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every byte the commands wrote: files under `folder`, and each process's output.
    static func expectNowhere(_ folder: URL, outputs: [String]) {
        let files = Scratch.files(under: folder).filter { $0.lastPathComponent != "redact.conf" }
        #expect(!files.isEmpty)
        for file in files {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            #expect(!text.contains(secret), "\(file.path) holds the secret")
            #expect(!text.contains("9f8e7d6c5b4a"), "\(file.path) holds part of the secret")
        }
        for (index, output) in outputs.enumerated() {
            #expect(!output.contains(secret), "output \(index) holds the secret: \(output)")
        }
    }

    @Test("tapedeck record: a secret in a header, the query and the body reaches no file and no output")
    func record() throws {
        let folder = try Scratch.folder("redact-record")
        let config = try Self.config(in: folder)
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet"])
        defer { _ = upstream.stop() }
        let result = try TapedeckProcess.run([
            "record", "--url", "\(upstream.url)/v1/images/generations?trace=\(Self.secret)",
            "-H", "X-Trace: \(Self.secret)", "--body", Self.body, "--events",
            "--out", folder.appendingPathComponent("secret.cassette.json").path, "--redact-config", config,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let cassette = try String(contentsOf: folder.appendingPathComponent("secret.cassette.json"), encoding: .utf8)
        #expect(cassette.contains(#""value": "[redacted]""#))
        #expect(cassette.contains("trace=[redacted]"))
        Self.expectNowhere(folder, outputs: [result.standardOutput, result.standardError])
    }

    @Test("tapedeck proxy: the same secret reaches neither its cassettes nor its log")
    func proxy() throws {
        let folder = try Scratch.folder("redact-proxy")
        let config = try Self.config(in: folder)
        let upstream = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0", "--quiet"])
        defer { _ = upstream.stop() }
        let proxy = try BackgroundProcess.tapedeck([
            "proxy", "--upstream", upstream.url, "--cassettes", folder.appendingPathComponent("cassettes").path,
            "--record-mode", "new-episodes", "--redact-config", config,
        ])
        let client = try TapedeckProcess.run([
            "record", "--url", "\(proxy.url)/v1/images/generations?trace=\(Self.secret)",
            "-H", "X-Trace: \(Self.secret)", "--body", Self.body,
            "--out", folder.appendingPathComponent("client.cassette.json").path, "--redact-config", config,
        ])
        let log = proxy.stop()
        #expect(client.status == 0, "\(client.standardError)")
        #expect(log.output.contains("recorded"), "\(log.output)")
        #expect(Scratch.files(under: folder.appendingPathComponent("cassettes")).contains { $0.lastPathComponent.hasSuffix(".cassette.json") })
        Self.expectNowhere(folder, outputs: [client.standardOutput, client.standardError, log.output, log.errors])
    }

    @Test("A line of the config file that is not a regular expression is refused, naming the file and line")
    func badPattern() throws {
        let folder = try Scratch.folder("redact-bad")
        let config = folder.appendingPathComponent("bad.conf").path
        try "# fine\ntdk-[0-9]+\n(unclosed\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try TapedeckProcess.run([
            "record", "--url", "http://127.0.0.1:1/v1/images/generations", "--body", "{}",
            "--out", folder.appendingPathComponent("x.cassette.json").path, "--redact-config", config,
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(config):3"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.cassette.json").path))
    }
}
