import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client program started through `/bin/sh -c`. Foundation starts it as the leader of a
/// process group of its own, so a timeout kills everything it started, not only the shell.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let command: String

    init(command: String, environment: [String: String], workingDirectory: String?, standardInput: Pipe?, standardOutput: Any?, standardError: Any?) {
        self.command = command
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        if let standardInput { process.standardInput = standardInput }
        if let standardOutput { process.standardOutput = standardOutput }
        if let standardError { process.standardError = standardError }
    }

    func start() throws(HarnessError) {
        do {
            try process.run()
        } catch {
            throw .clientNotStarted(command, reason: error.localizedDescription)
        }
    }

    /// Waits for the exit; nil when `timeout` passed first (the group is then killed).
    func wait(timeout: Double) async -> Int32? {
        let process = self.process
        let exited: Bool = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(timeout)
                while process.isRunning, Date() < deadline { usleep(2_000) }
                continuation.resume(returning: !process.isRunning)
            }
        }
        guard exited else {
            kill()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill() {
        let pid = process.processIdentifier
        if pid > 0 { Glibc.kill(-pid, SIGKILL) }
        process.waitUntilExit()
    }
}
