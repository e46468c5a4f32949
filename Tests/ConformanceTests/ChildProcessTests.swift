@testable import Conformance
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A client runs as it would in a terminal, and whatever it leaves behind, the runner moves on.
@Suite("Client processes", .serialized)
struct ChildProcessTests {
    /// Runs `command` with its standard output in a file; returns its status and output.
    static func run(_ command: String, timeout: Double = 20) async throws -> (status: Int32?, output: String) {
        let path = NSTemporaryDirectory() + "tapedeck-child-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try #require(FileHandle(forWritingAtPath: path))
        defer { try? output.close() }
        let child = ChildProcess(command: command, environment: [:], standardInput: nil, standardOutput: output, standardError: nil)
        try child.start()
        let status = await child.wait(timeout: timeout)
        return (status, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    @Test("Signals are at their defaults: SIGPIPE is not ignored, so `yes | head -1` ends as in a terminal")
    func defaultSignals() async throws {
        // The runner ignores SIGPIPE (its sockets must not kill it); the client must not inherit that.
        signal(SIGPIPE, SIG_IGN)
        let (status, output) = try await Self.run(#"awk '/^SigIgn/ {print $2}' /proc/$$/status; yes | head -1"#)
        let lines = output.split(separator: "\n")
        #expect(status == 0)
        let ignored = try #require(UInt64(lines.first ?? "", radix: 16))
        #expect(ignored & (1 << (13 - 1)) == 0, "SigIgn \(lines.first ?? "")")
        #expect(lines.last == "y")
    }

    @Test("Only the three standard descriptors are inherited")
    func noInheritedDescriptors() async throws {
        // A descriptor the runner holds without close-on-exec.
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        #expect(held > 2)
        let (status, output) = try await Self.run("ls /proc/$$/fd")
        #expect(status == 0)
        #expect(output.split(separator: "\n").sorted() == ["0", "1", "2"], "\(output)")
    }

    @Test("A descendant that left the process group (setsid) neither holds the run nor outlives the client", .timeLimit(.minutes(1)))
    func escapedDescendant() async throws {
        let marker = "98765\(Int.random(in: 100...999))"
        let started = ContinuousClock.now
        let (status, _) = try await Self.run("setsid sleep \(marker) & exit 0", timeout: 30)
        #expect(status == 0)
        #expect(started.duration(to: .now) < .seconds(20))
        try await Task.sleep(for: .milliseconds(300))
        #expect(!Self.processRunning(withArgument: marker), "sleep \(marker) is still running")
    }

    @Test("A timeout kills the whole tree and reports no status", .timeLimit(.minutes(1)))
    func timeout() async throws {
        let marker = "87654\(Int.random(in: 100...999))"
        let (status, _) = try await Self.run("sleep \(marker) & setsid sleep \(marker) & sleep \(marker)", timeout: 1)
        #expect(status == nil)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!Self.processRunning(withArgument: marker))
    }

    static func processRunning(withArgument argument: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(argument)
        }
    }
}
