import Foundation
import MockServer
import ServerTestKit
import Testing
import TestKit
import NIOConcurrencyHelpers

/// Each request's log line carries a command that reproduces it: whole, and safe to paste.
@Suite("The reproduce command in serve's log", .serialized)
struct ReproduceLineTests {
    /// Runs `command` through /bin/sh in a fresh folder; returns its standard output and the folder.
    static func shell(_ command: String) throws -> (output: String, folder: String) {
        let folder = NSTemporaryDirectory() + "tapedeck-reproduce-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try ChildProcess.run("/bin/sh", ["-c", command], directory: URL(fileURLWithPath: folder), timeout: 60)
        return (result.output, folder)
    }

    @Test("A long body is printed whole, and the command sends the same request again")
    func wholeBody() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let prompt = String(repeating: "a lighthouse at dusk, ", count: 40) + "it's late"
        let body = #"{"model":"gpt-image-1","prompt":"\#(prompt)","size":"1024x1024"}"#
        try await ServerHarness.withServer({ configuration in configuration.log = { line in lines.withLockedValue { $0.append(line) } } }) { server in
            let client = LoopbackClient(port: server.port)
            _ = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: body) }
            let line = try #require(lines.withLockedValue { $0.first })
            let command = try #require(line.components(separatedBy: " — reproduce: ").last)
            #expect(command.contains("it'\\''s late"))
            let (output, _) = try await ServerHarness.blocking { try Self.shell(command) }
            #expect(output.hasPrefix(#"{"created":"#), "\(output.prefix(200))")
        }
    }

    @Test("A cassette name with shell syntax and control characters in the URL runs nothing when pasted, and stays one line")
    func hostileName() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        try await ServerHarness.withServer({ configuration in configuration.log = { line in lines.withLockedValue { $0.append(line) } } }) { server in
            let client = LoopbackClient(port: server.port)
            let path = "/c/x%3Btouch%20pwned%3B%0Aforged%1B%5B2J/v1/images/generations"
            _ = try await ServerHarness.blocking { try client.post(path, json: #"{"model":"gpt-image-1","prompt":"x"}"#) }
            let line = try #require(lines.withLockedValue { $0.first })
            #expect(!line.contains("\n") && !line.contains("\u{1B}"))
            let command = try #require(line.components(separatedBy: " — reproduce: ").last)
            let (_, folder) = try await ServerHarness.blocking { try Self.shell(command) }
            #expect(!FileManager.default.fileExists(atPath: folder + "/pwned"))
        }
    }
}
