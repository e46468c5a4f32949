import Foundation
import Testing
import TestKit

/// Runs the built `tapedeck` binary, as a user or a CI script would.
struct TapedeckProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String

        var outputLines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    /// The binary SwiftPM built beside the test bundle.
    static let executable: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tapedeck")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return URL(fileURLWithPath: ".build/debug/tapedeck")
    }()

    /// The repository's root, for bundled files such as Cassettes/.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: [String], input: [UInt8]? = nil, timeout: Double = 300) throws -> Result {
        let result = try ChildProcess.run(executable.path, arguments, input: input.map { Data($0) }, timeout: timeout)
        return Result(status: result.status, standardOutput: result.output, standardError: result.errors)
    }

    /// Parses one output line as a JSON object.
    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}
