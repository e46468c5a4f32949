import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client program started through `/bin/sh -c`, as the leader of a process group of its own,
/// so a timeout kills everything it started, not only the shell.
///
/// Spawned with posix_spawn rather than Foundation's Process, for three reasons a client can
/// feel: every signal is reset to its default (the runner ignores SIGPIPE, and a client's
/// pipelines must behave as in a terminal); no descriptor but the three standard ones is
/// inherited; and the exit is seen with waitpid, not through a socket that any descendant
/// (even one that left the group with setsid) would hold open, hanging the run.
final class ChildProcess: @unchecked Sendable {
    let command: String
    private let environment: [String: String]
    private let standardInput: Pipe?
    private let standardOutput: Any?
    private let standardError: Any?
    /// Set in every descendant's environment, so ones that escaped the process group are found.
    private let token = UUID().uuidString
    private let lock = NSLock()
    private var pid: pid_t = 0
    private var status: Int32?

    init(command: String, environment: [String: String], standardInput: Pipe?, standardOutput: Any?, standardError: Any?) {
        self.command = command
        self.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// The environment variable that marks a client's descendants.
    static let tokenVariable = "TAPEDECK_CLIENT_TOKEN"

    func start() throws(HarnessError) {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        let descriptors = [
            standardInput?.fileHandleForReading.fileDescriptor ?? null,
            Self.descriptor(standardOutput) ?? null,
            Self.descriptor(standardError) ?? null,
        ]
        for (target, source) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        Self.closeFrom(&actions, 3)

        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let arguments = ["/bin/sh", "-c", command]
        var variables = environment
        variables[Self.tokenVariable] = token
        let environmentLines = variables.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let result = Self.withCStrings(arguments) { argv in
            Self.withCStrings(environmentLines) { envp in
                posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else {
            throw .clientNotStarted(command, reason: String(cString: strerror(result)))
        }
        lock.withLock { pid = child }
        // The child holds its ends now; the parent's copies would keep end-of-file from arriving.
        try? standardInput?.fileHandleForReading.close()
        if let pipe = standardOutput as? Pipe { try? pipe.fileHandleForWriting.close() }
        if let pipe = standardError as? Pipe { try? pipe.fileHandleForWriting.close() }
    }

    var isRunning: Bool { exitStatus() == nil }

    /// The exit status once the child exited (reaping it), else nil.
    private func exitStatus() -> Int32? {
        lock.withLock {
            if let status { return status }
            guard pid > 0 else { return nil }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            status = Self.exitCode(raw)
            return status
        }
    }

    /// Waits for the exit; nil when `timeout` passed first (then everything it started is killed).
    func wait(timeout: Double) async -> Int32? {
        let exited: Int32? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(timeout)
                var status = self.exitStatus()
                while status == nil, Date() < deadline {
                    usleep(2_000)
                    status = self.exitStatus()
                }
                continuation.resume(returning: status)
            }
        }
        guard let exited else {
            kill()
            return nil
        }
        killDescendants()
        return exited
    }

    /// Kills the group, the shell, and any descendant that left the group; reaps the shell.
    func kill() {
        let pid = lock.withLock { self.pid }
        guard pid > 0 else { return }
        Glibc.kill(-pid, SIGKILL)
        Glibc.kill(pid, SIGKILL)
        killDescendants()
        lock.withLock {
            guard status == nil else { return }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            status = Self.exitCode(raw)
        }
    }

    /// Kills the processes that carry this child's token: what it left running, in its group
    /// or out of it (setsid), once the client itself is done.
    /// A descendant found may be forking while /proc is read, its child not yet listed: after a
    /// sweep that killed something, sweep again (a few milliseconds later) until one finds none.
    func killDescendants() {
        for _ in 0..<50 {
            guard sweepDescendants() > 0 else { return }
            usleep(10_000)
        }
    }

    /// Kills every process carrying the token; returns how many there were.
    private func sweepDescendants() -> Int {
        let marker = Array("\(Self.tokenVariable)=\(token)".utf8) + [0]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        let me = getpid()
        var killed = 0
        for entry in entries {
            guard let process = pid_t(entry), process != me,
                  let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            let bytes = [UInt8](environ)
            if bytes.starts(with: marker) || bytes.firstRange(of: [0] + marker) != nil {
                if Glibc.kill(process, SIGKILL) == 0 { killed += 1 }
            }
        }
        return killed
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module does
    /// not declare: every descriptor from `lowest` up is closed in the child.
    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
    }

    private static func descriptor(_ stream: Any?) -> Int32? {
        switch stream {
        case let pipe as Pipe: pipe.fileHandleForWriting.fileDescriptor
        case let handle as FileHandle: handle.fileDescriptor
        default: nil
        }
    }

    /// The shell's convention: the exit status, or 128 plus the signal that ended it.
    private static func exitCode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
