import Foundation

/// Runs a program to its end, as the tests' one way to do it: both output pipes are read while
/// it runs (a full pipe never stalls it), and it is killed at `timeout`, which is an error that
/// says so: no test waits forever on a child.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: Data

        public var output: String { String(decoding: standardOutput, as: UTF8.self) }
        public var errors: String { String(decoding: standardError, as: UTF8.self) }
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var command: String
        public var seconds: Double
        public var description: String { "\(command) did not finish within \(Int(seconds)) s and was killed" }
    }

    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, directory: URL? = nil,
        environment: [String: String]? = nil, timeout: Double = 300
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        nonisolated(unsafe) var output = Data(), errors = Data()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { output = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { errors = stderr.fileHandleForReading.readDataToEndOfFile() }
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            Thread.sleep(forTimeInterval: 0.5)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            readers.wait()
            throw TimedOut(command: ([executable] + arguments).joined(separator: " ").prefix(200).description, seconds: timeout)
        }
        process.waitUntilExit()
        readers.wait()
        return Result(status: process.terminationStatus, standardOutput: output, standardError: errors)
    }
}
