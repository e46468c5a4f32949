import Foundation

/// Command mode: the client command runs once per scenario, with the scenario in its
/// environment, and writes its observations into a folder (docs/client-contract.md).
public struct CommandClient: ClientDriver {
    public let command: String

    public init(command: String) {
        self.command = command
    }

    public func perform(_ job: ClientJob) async throws(HarnessError) -> Observation {
        let logPath = job.directory + "/client.log"
        let log = try BoundedLog(path: logPath)
        let child = ChildProcess(
            command: command,
            environment: Self.environment(for: job),
            standardInput: nil,
            standardOutput: log.pipe,
            standardError: log.pipe
        )
        do {
            try child.start()
        } catch {
            log.finish()
            throw error
        }
        let status = await child.wait(timeout: job.timeout)
        log.finish()
        // The shell's own statuses for a command it could not find or run.
        if let status, status == 126 || status == 127 {
            throw .clientNotStarted(command, reason: "the shell exited \(status): \(ClientLog.read(logPath).suffix(300))")
        }
        var observation: Observation
        do {
            observation = try Observation.read(from: job.outputDirectory)
        } catch {
            throw .malformedObservation("\(error)")
        }
        observation.timedOut = status == nil
        observation.exitCode = status ?? -9
        observation.log = ClientLog.read(logPath)
        return observation
    }

    public func shutdown() async {}

    static func environment(for job: ClientJob) -> [String: String] {
        [
            "TAPEDECK_BASE_URL": job.baseURL,
            "OPENAI_BASE_URL": job.baseURL,
            "OPENAI_API_KEY": "sk-tapedeck-dummy",
            "TAPEDECK_REQUEST": job.requestFile,
            "TAPEDECK_OUTPUT": job.outputDirectory,
            "TAPEDECK_SCENARIO": job.scenarioID,
            "TAPEDECK_TIMEOUT": Judge.format(job.timeout),
        ]
    }
}

/// The end of a client's log, for the report.
enum ClientLog {
    static let limit = 4096

    static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return "" }
        let tail = data.suffix(limit)
        return (data.count > limit ? "…" : "") + String(decoding: tail, as: UTF8.self)
    }
}
