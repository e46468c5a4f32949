import Cassette
import ImageStreamSpec
import Recorder

/// The progress channel a scenario's client is told about in `request.json` (`progress`), and
/// what a client reports of it in `progress.jsonl` (docs/client-contract.md, Progress).
public struct ProgressChannel: Sendable {
    /// `ws://127.0.0.1:PORT/s/…/c/…/socket.io/?EIO=4&transport=websocket`
    public var socketIO: String
    /// The same as Socket.IO clients take it: the server's origin (`http://127.0.0.1:PORT`) and
    /// the path (`/s/…/c/…/socket.io`): python-socketio's `socketio_path`, socket.io-client's `path`.
    public var origin: String
    public var socketIOPath: String
    public var namespace: String
    /// `ws://127.0.0.1:PORT/ws`
    public var webSocket: String
    /// The answer's header that names the job.
    public var jobHeader: String
    /// The dialect's channel, for reading messages back.
    public var spec: ProgressSpec

    /// `baseURL` is the server's root with the scenario's prefixes (`http://host:port/s/…/c/…`):
    /// a socket opened under them hears only that scenario's job.
    public init(baseURL: String, spec: ProgressSpec) {
        let socketBase = baseURL.replacing("http://", with: "ws://")
        self.socketIO = socketBase + spec.socketIO.path + "?EIO=4&transport=websocket"
        let afterScheme = baseURL.dropFirst("http://".count)
        let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        self.origin = "http://" + afterScheme[..<slash]
        var path = String(afterScheme[slash...]) + spec.socketIO.path
        while path.hasSuffix("/") { path.removeLast() }
        self.socketIOPath = path
        self.namespace = spec.socketIO.namespace
        self.webSocket = socketBase + spec.webSocket.path
        self.jobHeader = spec.jobHeader
        self.spec = spec
    }

    /// Its `request.json` member.
    func fileText() -> String {
        "{\"socket_io\":\(quoted(socketIO)),\"origin\":\(quoted(origin)),\"socket_io_path\":\(quoted(socketIOPath)),\"namespace\":\(quoted(namespace)),\"websocket\":\(quoted(webSocket)),\"job_header\":\(quoted(jobHeader)),"
            + "\"progress_event\":\(quoted(spec.socketIO.messages.progressKind)),\"complete_event\":\(quoted(spec.socketIO.messages.completeKind))}"
    }
}

/// How the reference client follows a job's progress: a Socket.IO socket opened before the
/// request, kept until the completion or a bound after the answer, its messages for the
/// answer's job read through the dialect's spec; a percentage lower than one shown is not
/// shown (a bar never goes back).
enum ProgressFollower {
    /// How long after the answer a completion may still come (the `late` fault sends it 0.3 s
    /// after), with room for a loaded machine: the wait ends at the completion or the close.
    static let linger: Duration = .seconds(2)

    static func open(_ channel: ProgressChannel, timeout: Double) -> ProgressRecorder? {
        guard let redactor = try? Redactor() else { return nil }
        return try? ProgressRecorder(url: channel.socketIO, namespace: channel.namespace, redactor: redactor, connectTimeout: .milliseconds(Int64(timeout * 1000)))
    }

    static func observe(_ socket: ProgressRecorder, channel: ProgressChannel, job: String?) -> [Observation.Progress] {
        let completion = channel.spec.socketIO.messages.completeKind
        let tape = socket.finish(linger: linger) { text in
            guard let job, let message = try? ProgressReading.message(in: text, transport: .socketIO, spec: channel.spec) else { return false }
            return message.job == job && message.kind == .complete && !completion.isEmpty
        }
        var shown: [Observation.Progress] = []
        var highest = -1.0
        for frame in tape.frames {
            guard let message = try? ProgressReading.message(in: frame.text, transport: .socketIO, spec: channel.spec), message.job == job else { continue }
            switch message.kind {
            case .progress(let percent) where percent >= highest && (0...100).contains(percent):
                highest = percent
                shown.append(.percent(percent))
            case .complete:
                shown.append(.complete)
            default:
                continue
            }
        }
        return shown
    }
}
