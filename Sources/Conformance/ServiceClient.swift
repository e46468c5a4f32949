import Foundation
import ImageStreamSpec
import MockServer

/// Service mode: long-lived client processes take scenarios one after another as JSON lines
/// on standard input (docs/client-contract.md, Service mode protocol), one process per job
/// slot, so thousands of scenarios cost a few process starts.
public final class ServiceClient: ClientDriver, @unchecked Sendable {
    public let command: String
    public let slots: Int
    private let pool: ServicePool
    private let logDirectory: String

    /// The hello line of the first process: the client's name, version and capabilities.
    public private(set) var hello: ServiceHello?

    public init(command: String, slots: Int, logDirectory: String) {
        self.command = command
        self.slots = max(1, slots)
        self.logDirectory = logDirectory
        self.pool = ServicePool()
    }

    /// Starts one process and reads its hello line, so capabilities are known before the suite.
    public func start(timeout: Double) async throws(HarnessError) -> ServiceHello {
        let first = try await ServiceProcess.launch(command: command, logPath: logDirectory + "/service-0.log", timeout: timeout)
        hello = first.hello
        await pool.add(first)
        for slot in 1..<slots {
            let process = try await ServiceProcess.launch(command: command, logPath: logDirectory + "/service-\(slot).log", timeout: timeout)
            await pool.add(process)
        }
        return first.hello
    }

    public func perform(_ job: ClientJob) async throws(HarnessError) -> Observation {
        let process = await pool.take()
        let request = "{\"id\":\(quoted(job.scenarioID)),\"base_url\":\(quoted(job.baseURL)),\"api_key\":\"sk-tapedeck-dummy\",\"request\":\(quoted(job.requestFile)),\"output\":\(quoted(job.outputDirectory)),\"timeout\":\(Judge.format(job.timeout))}"
        let reply: ServiceProcess.Reply?
        do {
            reply = try await process.exchange(request, id: job.scenarioID, timeout: job.timeout)
        } catch {
            await replace(process, timeout: job.timeout)
            throw error
        }
        guard let reply else {
            // A process that hung is replaced, so one bad scenario does not take the rest of
            // the suite with it.
            await replace(process, timeout: job.timeout)
            var observation = (try? Observation.read(from: job.outputDirectory)) ?? Observation()
            observation.timedOut = true
            observation.exitCode = -9
            return observation
        }
        await pool.add(process)
        if reply.exit == 2 {
            throw .protocolBroken("the client service could not run the scenario (it answered exit 2; see \(process.logPath))")
        }
        var observation: Observation
        do {
            observation = try Observation.read(from: job.outputDirectory)
        } catch {
            throw .malformedObservation("\(error)")
        }
        observation.exitCode = reply.exit
        observation.log = reply.log
        return observation
    }

    private func replace(_ process: ServiceProcess, timeout: Double) async {
        process.stop()
        if let replacement = try? await ServiceProcess.launch(command: command, logPath: process.logPath, timeout: timeout) {
            await pool.add(replacement)
        }
    }

    public func shutdown() async {
        for process in await pool.drain() {
            await process.close()
        }
    }
}

/// What a client service says of itself in its first line.
public struct ServiceHello: Sendable {
    public var name: String
    public var version: String?
    public var capabilities: [String]
}

/// Free service processes; a taker waits until one is returned.
private actor ServicePool {
    private var free: [ServiceProcess] = []
    private var waiting: [CheckedContinuation<ServiceProcess, Never>] = []

    func add(_ process: ServiceProcess) {
        if waiting.isEmpty {
            free.append(process)
        } else {
            waiting.removeFirst().resume(returning: process)
        }
    }

    func take() async -> ServiceProcess {
        if let process = free.popLast() { return process }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func drain() -> [ServiceProcess] {
        defer { free = [] }
        return free
    }
}

/// One running client service and its line-by-line conversation.
final class ServiceProcess: @unchecked Sendable {
    struct Reply { var exit: Int32; var log: String }

    let child: ChildProcess
    let input: Pipe
    let lines: LineReader
    let log: BoundedLog
    var logPath: String { log.path }
    private(set) var hello = ServiceHello(name: "service", version: nil, capabilities: [])

    private init(child: ChildProcess, input: Pipe, lines: LineReader, log: BoundedLog) {
        self.child = child
        self.input = input
        self.lines = lines
        self.log = log
    }

    static func launch(command: String, logPath: String, timeout: Double) async throws(HarnessError) -> ServiceProcess {
        let input = Pipe(), output = Pipe()
        let log = try BoundedLog(path: logPath)
        let child = ChildProcess(command: command, environment: ["TAPEDECK_SERVICE": "1", "OPENAI_API_KEY": "sk-tapedeck-dummy"], standardInput: input, standardOutput: output, standardError: log.pipe)
        do {
            try child.start()
        } catch {
            log.finish()
            throw error
        }
        let process = ServiceProcess(child: child, input: input, lines: LineReader(output.fileHandleForReading), log: log)
        guard let line = await process.lines.next(timeout: max(timeout, 30)) else {
            process.stop()
            throw .clientNotStarted(command, reason: "no hello line within \(Int(max(timeout, 30))) s (see \(logPath))")
        }
        guard let json = try? JSONValue.parse(line), json["tapedeck"]?.string == "client/1" else {
            process.stop()
            throw .protocolBroken("the first line must be a hello such as {\"tapedeck\":\"client/1\",\"name\":…,\"capabilities\":[…]}; got \(ShellText.printable(String(line.prefix(200))))")
        }
        process.hello = ServiceHello(
            name: json["name"]?.string ?? "service",
            version: json["version"]?.string,
            capabilities: json["capabilities"]?.array?.compactMap(\.string) ?? []
        )
        return process
    }

    /// The reply, or nil when none came within the timeout.
    func exchange(_ request: String, id: String, timeout: Double) async throws(HarnessError) -> Reply? {
        do {
            try input.fileHandleForWriting.write(contentsOf: Data((request + "\n").utf8))
        } catch {
            throw .protocolBroken("the service closed its input: \(error.localizedDescription)")
        }
        guard let line = await lines.next(timeout: timeout) else {
            if child.isRunning { return nil }
            throw .protocolBroken("the service exited (see \(logPath))")
        }
        guard let json = try? JSONValue.parse(line), json["id"]?.string == id, let exit = json["exit"]?.integer else {
            throw .protocolBroken("expected {\"id\":\(quoted(id)),\"exit\":N}; got \(ShellText.printable(String(line.prefix(200))))")
        }
        return Reply(exit: Int32(exit), log: "")
    }

    func stop() {
        child.kill()
        log.finish()
    }

    func close() async {
        try? input.fileHandleForWriting.close()
        if await child.wait(timeout: 5) == nil { child.kill() }
        log.finish()
    }
}

/// Lines from a pipe, read on a thread of their own and awaited with a timeout.
final class LineReader: @unchecked Sendable {
    private let lock = NSCondition()
    private var lines: [String] = []
    private var closed = false

    /// The longest line kept: a protocol line is a short JSON object, and a service that
    /// writes megabytes without a newline must not grow the runner without bound.
    static let lineLimit = 1 << 20

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var pending: [UInt8] = []
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending += data
                if pending.count > Self.lineLimit, !pending.prefix(Self.lineLimit + 1).contains(10) {
                    // Not a protocol line: what is kept of it fails the exchange that reads it.
                    lock.lock()
                    lines.append("(a line of more than \(Self.lineLimit) bytes: \(String(decoding: pending.prefix(200), as: UTF8.self)))")
                    lock.signal()
                    lock.unlock()
                    pending.removeAll()
                    // Skip to the end of that line.
                    var skipping = true
                    while skipping {
                        let more = handle.availableData
                        if more.isEmpty { break }
                        if let newline = more.firstIndex(of: 10) {
                            pending = [UInt8](more[(newline + 1)...])
                            skipping = false
                        }
                    }
                    if skipping { break }
                }
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    lock.lock()
                    lines.append(line)
                    lock.signal()
                    lock.unlock()
                }
            }
            lock.lock()
            closed = true
            lock.broadcast()
            lock.unlock()
        }
    }

    /// The next line, or nil at end of input or after `timeout` seconds.
    func next(timeout: Double) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let deadline = Date().addingTimeInterval(timeout)
                lock.lock()
                while lines.isEmpty, !closed, lock.wait(until: deadline) {}
                let line = lines.isEmpty ? nil : lines.removeFirst()
                lock.unlock()
                continuation.resume(returning: line)
            }
        }
    }
}
