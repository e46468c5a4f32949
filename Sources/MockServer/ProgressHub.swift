import Cassette
import Delivery
import ImageStreamSpec
import NIOConcurrencyHelpers
import ProgressWire

/// The progress sockets connected to the server, and the jobs whose progress they carry: each
/// image request of a dialect with a progress channel is a job, and every socket of that
/// channel hears it (as ComfyUI broadcasts; a client tells jobs apart by the job id).
final class ProgressHub: Sendable {
    /// What a socket is told to do.
    enum Outgoing: Sendable {
        case text(String)
        /// A clean close: Socket.IO's disconnect packet where there is one, then a close frame.
        case close
        /// A ping, then the connection dropped without a close frame.
        case drop
    }

    private struct Session {
        let endpoint: ProgressEndpoint
        let outbox: AsyncStream<Outgoing>.Continuation
        /// Socket.IO: whether the socket joined the spec's namespace (plain sockets always hear).
        var listening: Bool

        func hears(_ spec: ProgressSpec, _ scope: ProgressScope?) -> Bool {
            listening && endpoint.spec == spec && ProgressScope.hears(socket: endpoint.scope, job: scope)
        }
    }

    private let sessions = NIOLockedValueBox<[Int: Session]>([:])
    private let counter = NIOLockedValueBox(0)
    /// Jobs whose progress is still being sent, so shutdown can wait for none.
    private let running = NIOLockedValueBox(0)

    func register(_ endpoint: ProgressEndpoint) -> (id: Int, outbox: AsyncStream<Outgoing>) {
        let id = counter.withLockedValue { $0 += 1; return $0 }
        let (stream, continuation) = AsyncStream<Outgoing>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        sessions.withLockedValue { $0[id] = Session(endpoint: endpoint, outbox: continuation, listening: endpoint.transport == .webSocket) }
        return (id, stream)
    }

    func setListening(_ id: Int, _ listening: Bool) {
        sessions.withLockedValue { $0[id]?.listening = listening }
    }

    func remove(_ id: Int) {
        sessions.withLockedValue { $0.removeValue(forKey: id) }?.outbox.finish()
    }

    /// How many progress sockets are open.
    var openSockets: Int { sessions.withLockedValue { $0.count } }

    func hasListeners(for spec: ProgressSpec, scope: ProgressScope?) -> Bool {
        sessions.withLockedValue { $0.values.contains { $0.hears(spec, scope) } }
    }

    /// A job id no other job of this server has.
    func newJob() -> String {
        let number = counter.withLockedValue { $0 += 1; return $0 }
        return "job-\(number)-\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }

    /// Carries out `steps` of a job's plan, timed from `start`: each sent to every listening
    /// socket of the spec's channels in its own shape.
    func run(_ steps: some Sequence<ProgressPlan.Step>, job: String, spec: ProgressSpec, scope: ProgressScope?, from start: ContinuousClock.Instant) async {
        running.withLockedValue { $0 += 1 }
        defer { running.withLockedValue { $0 -= 1 } }
        for step in steps {
            try? await Task.sleep(until: start + .seconds(step.at), clock: .continuous)
            broadcast(spec: spec, scope: scope) { endpoint in Self.outgoing(step.action, job: job, endpoint: endpoint, steps: spec.steps) }
        }
    }

    /// Sends a recorded tape's frames as recorded, timed from `start` and scaled by `timeScale`,
    /// to the listening sockets of its transport.
    func replay(_ tape: ProgressTape, spec: ProgressSpec, scope: ProgressScope?, timeScale: Double, from start: ContinuousClock.Instant) async {
        running.withLockedValue { $0 += 1 }
        defer { running.withLockedValue { $0 -= 1 } }
        let transport = ProgressRecording.Transport(rawValue: tape.transport)
        for frame in tape.frames where Self.isReplayed(frame.text, transport: transport) {
            try? await Task.sleep(until: start + frame.at * max(0, timeScale), clock: .continuous)
            broadcast(spec: spec, scope: scope) { endpoint in endpoint.transport == transport ? .text(frame.text) : nil }
        }
    }

    /// A session's own packets (open, ping, connect) are the server's to make; the rest is replayed.
    static func isReplayed(_ text: String, transport: ProgressRecording.Transport?) -> Bool {
        guard transport == .socketIO else { return true }
        guard case .message(let data)? = try? EnginePacket(parsing: text) else { return false }
        guard let packet = try? SocketPacket(parsing: data) else { return true }
        return packet.kind == .event || packet.kind == .binaryEvent
    }

    private func broadcast(spec: ProgressSpec, scope: ProgressScope?, _ make: (ProgressEndpoint) -> Outgoing?) {
        let targets = sessions.withLockedValue { $0.values.filter { $0.hears(spec, scope) } }
        for session in targets {
            if let outgoing = make(session.endpoint) { session.outbox.yield(outgoing) }
        }
    }

    /// A plan's action as one socket's frame.
    static func outgoing(_ action: ProgressPlan.Action, job: String, endpoint: ProgressEndpoint, steps: Int) -> Outgoing {
        let socketIO = endpoint.spec.socketIO
        let messages = endpoint.transport == .socketIO ? socketIO.messages : endpoint.spec.webSocket.messages
        func frame(kind: String, message: String) -> String {
            guard endpoint.transport == .socketIO else { return message }
            let event = SocketPacket.event(namespace: socketIO.namespace, arrayJSON: "[\(quoted(kind)),\(message)]")
            return EnginePacket.message(event.text).text
        }
        switch action {
        case .progress(let step, let percent):
            let message = percent == step * 100 / steps ? messages.progress(job: job, step: step, of: steps) : messages.progress(job: job, percent: percent, steps: steps)
            return .text(frame(kind: messages.progressKind, message: message))
        case .complete:
            return .text(frame(kind: messages.completeKind, message: messages.complete(job: job, steps: steps)))
        case .malformed(let step, _):
            let whole = frame(kind: messages.progressKind, message: messages.progress(job: job, step: step, of: steps))
            return .text(String(whole.prefix(whole.count / 2)))
        case .closeSockets:
            return .close
        case .dropSockets:
            return .drop
        }
    }

    /// A JSON string of an event name (names come from Specs/, so may hold anything).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
