import Foundation

/// One scenario handed to a client: where to send the request, what to ask for, where to
/// write what it saw.
public struct ClientJob: Sendable {
    public var scenarioID: String
    /// Ends in `/v1`; the scenario and cassette prefixes are in it.
    public var baseURL: String
    public var request: ClientRequest
    /// A folder of the scenario's own: `request.json` and the upload files go here, and the
    /// client writes into its `out` folder.
    public var directory: String
    public var timeout: Double

    public var outputDirectory: String { directory + "/out" }
    public var requestFile: String { directory + "/request.json" }
}

/// What the client is asked to do (the `request.json` of docs/client-contract.md).
public struct ClientRequest: Sendable {
    public struct Upload: Sendable {
        public var field: String
        public var path: String
        public var contentType: String
        public var filename: String
    }

    public var surface: String
    public var method: String
    /// Relative to the base URL, such as `/images/generations`.
    public var path: String
    public var stream: Bool
    /// The body's fields as JSON text: the JSON body, or a form's text fields.
    public var bodyJSON: String?
    public var isMultipart: Bool
    public var files: [Upload]
    /// The job's progress channel, for a scenario that tests it.
    public var progress: ProgressChannel? = nil

    /// The `request.json` text.
    func fileText() -> String {
        var members = [
            "\"surface\":\(quoted(surface))",
            "\"method\":\(quoted(method))",
            "\"path\":\(quoted(path))",
            "\"stream\":\(stream)",
            "\"body\":\(bodyJSON ?? "null")",
        ]
        let files = self.files.map { "{\"field\":\(quoted($0.field)),\"path\":\(quoted($0.path)),\"content_type\":\(quoted($0.contentType)),\"filename\":\(quoted($0.filename))}" }
        members.append("\"files\":[\(files.joined(separator: ","))]")
        if let progress { members.append("\"progress\":\(progress.fileText())") }
        return "{" + members.joined(separator: ",") + "}\n"
    }
}

/// A JSON string literal.
func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Drives one kind of client.
public protocol ClientDriver: Sendable {
    /// Runs the job and returns what the client observed.
    func perform(_ job: ClientJob) async throws(HarnessError) -> Observation
    /// Stops anything the driver started.
    func shutdown() async
}

/// A driver whose client blocks (sockets, sleeps): each job runs on a thread of its own, off
/// the cooperative pool, so a slow client holds up no other task.
protocol BlockingClientDriver: ClientDriver {
    func observe(_ job: ClientJob) -> Observation
}

extension BlockingClientDriver {
    public func perform(_ job: ClientJob) async throws(HarnessError) -> Observation {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: observe(job)) }
        }
    }

    public func shutdown() async {}
}

/// The harness, not the client, failed: the verdict is `error`.
public enum HarnessError: Error, CustomStringConvertible, Sendable {
    case clientNotStarted(String, reason: String)
    case malformedObservation(String)
    case protocolBroken(String)
    case io(String)

    public var description: String {
        switch self {
        case .clientNotStarted(let command, let reason): "the client `\(command)` could not be started: \(reason)"
        case .malformedObservation(let reason): "the client's observations do not follow the contract: \(reason)"
        case .protocolBroken(let reason): "the client service broke the protocol: \(reason)"
        case .io(let reason): reason
        }
    }
}
