import ProgressWire

/// What a progress socket carried next to one HTTP exchange, as recorded: every frame the
/// server sent, with its arrival time, and what the HTTP answer said of its job.
public struct ProgressRecording: Hashable, Sendable {
    public enum Transport: String, CaseIterable, Hashable, Sendable {
        /// Socket.IO v4 over Engine.IO v4 (websocket transport).
        case socketIO = "socket.io"
        /// A plain WebSocket, one JSON message per text frame.
        case webSocket = "websocket"
    }

    public struct Frame: Hashable, Sendable {
        /// Seconds since the HTTP request was sent.
        public var seconds: Double
        public var text: String

        public init(seconds: Double, text: String) {
            self.seconds = seconds
            self.text = text
        }
    }

    public var transport: Transport
    /// The frames the server sent, in arrival order.
    public var frames: [Frame]
    /// The jobs the HTTP answer names (its job header).
    public var jobs: [String]
    /// When the HTTP answer's last byte arrived, in seconds since the request was sent.
    public var answerEndedSeconds: Double?

    public init(transport: Transport, frames: [Frame], jobs: [String], answerEndedSeconds: Double?) {
        self.transport = transport
        self.frames = frames
        self.jobs = jobs
        self.answerEndedSeconds = answerEndedSeconds
    }
}

/// One progress message read back through a dialect's ``ProgressMessages``.
public struct ProgressMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A progress message, as a percentage.
        case progress(Double)
        case complete
        /// A message of another kind (ComfyUI's `executing`, `status`, …).
        case other(String)
    }

    public var kind: Kind
    public var job: String?

    /// Whether it tells a client the job is done: completion, or 100 %.
    public var isTerminal: Bool {
        switch kind {
        case .complete: true
        case .progress(let percent): percent >= 100
        case .other: false
        }
    }
}

/// Reads frames of a progress socket: Engine.IO and Socket.IO framing for `socket.io`, JSON
/// for `websocket`, then the message by the dialect's field paths.
public enum ProgressReading {
    /// The message a frame carries; nil for what carries none (open, ping, pong, connect, a
    /// namespace not the spec's). Throws when the frame is malformed.
    public static func message(in text: String, transport: ProgressRecording.Transport, spec: ProgressSpec) throws(ProgressFrameProblem) -> ProgressMessage? {
        switch transport {
        case .socketIO:
            let engine: EnginePacket
            do { engine = try EnginePacket(parsing: text) } catch { throw .framing(error.description) }
            guard case .message(let data) = engine else { return nil }
            let packet: SocketPacket
            do { packet = try SocketPacket(parsing: data) } catch { throw .framing(error.description) }
            guard packet.namespace == spec.socketIO.namespace, packet.kind == .event else { return nil }
            guard case .array(let items)? = try? JSONValue.parse(packet.payload), let name = items.first?.string else {
                throw .framing("an EVENT's payload must be a JSON array starting with the event's name: \(ProgressWireError.excerpt(packet.payload))")
            }
            let body = items.dropFirst().first ?? .null
            return read(body, kind: name, messages: spec.socketIO.messages)
        case .webSocket:
            guard let body = try? JSONValue.parse(text), body.object != nil else {
                throw .framing("a message must be a JSON object: \(ProgressWireError.excerpt(text))")
            }
            let kind = spec.webSocket.messages.kindField.flatMap { body.at(path: $0)?.string } ?? ""
            return read(body, kind: kind, messages: spec.webSocket.messages)
        }
    }

    static func read(_ body: JSONValue, kind: String, messages: ProgressMessages) -> ProgressMessage {
        let job = body.at(path: messages.jobField)?.string
        switch kind {
        case messages.completeKind:
            return ProgressMessage(kind: .complete, job: job)
        case messages.progressKind:
            guard let value = body.at(path: messages.percentField)?.number else { return ProgressMessage(kind: .other(kind), job: job) }
            guard let field = messages.maxField else { return ProgressMessage(kind: .progress(value), job: job) }
            guard let max = body.at(path: field)?.number, max > 0 else { return ProgressMessage(kind: .other(kind), job: job) }
            return ProgressMessage(kind: .progress(value / max * 100), job: job)
        default:
            return ProgressMessage(kind: .other(kind), job: job)
        }
    }
}

/// Why a progress frame could not be read.
public enum ProgressFrameProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case framing(String)

    public var description: String {
        switch self {
        case .framing(let reason): reason
        }
    }
}

extension JSONValue {
    /// The value at a dotted path (`data.prompt_id`).
    func at(path: String) -> JSONValue? {
        var value: JSONValue? = self
        for key in path.split(separator: ".") { value = value?[String(key)] }
        return value
    }
}
