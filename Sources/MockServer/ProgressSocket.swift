import ImageStreamSpec
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import ProgressWire

/// One progress socket, from the upgrade to its close: Socket.IO's handshake, namespace
/// connects and heartbeat over Engine.IO, or a plain WebSocket; the hub's messages sent as
/// they come. Every way out closes the socket, and none waits without a bound.
struct ProgressSocket {
    let hub: ProgressHub
    let endpoint: ProgressEndpoint
    let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    /// Engine.IO's heartbeat: a ping every `interval`; no pong within `timeout` closes the socket.
    let pingInterval: Duration
    let pingTimeout: Duration

    typealias Outbound = NIOAsyncChannelOutboundWriter<WebSocketFrame>

    /// What ends a session, for the close frame it sends.
    private enum Ending: Error {
        case clientClosed
        case protocolError(String)
        case missedPong
        case serverClosed
        case dropped
    }

    func serve() async {
        let (id, outbox) = hub.register(endpoint)
        defer { hub.remove(id) }
        let sid = String(UInt64.random(in: .min ... .max), radix: 36)
        let pongs = PongClock()
        do {
            try await channel.executeThenClose { inbound, outbound in
                if endpoint.transport == .socketIO {
                    let handshake = #"{"sid":"\#(sid)","upgrades":[],"pingInterval":\#(pingInterval.milliseconds),"pingTimeout":\#(pingTimeout.milliseconds),"maxPayload":\#(endpoint.spec.socketIO.maxPayload)}"#
                    try await send(EnginePacket.open(handshake).text, outbound)
                }
                let ending: Ending
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await read(inbound, outbound, id: id, sid: sid, pongs: pongs) }
                        group.addTask { try await write(outbox, outbound) }
                        if endpoint.transport == .socketIO {
                            group.addTask { try await heartbeat(outbound, pongs: pongs) }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                    ending = .clientClosed
                } catch let caught as Ending {
                    ending = caught
                }
                try await finish(ending, outbound)
            }
        } catch {
            // A socket that breaks ends only itself.
        }
    }

    /// A socket whose query asks for what is not served (another Engine.IO version): closed at
    /// once with a protocol-error close frame that says what is served.
    static func refuse(_ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, _ refusal: ProgressEndpoint.Refusal) async {
        try? await channel.executeThenClose { _, outbound in
            var data = ByteBuffer()
            data.write(webSocketErrorCode: .protocolError)
            data.writeString(String(refusal.message.utf8.prefix(120)) ?? "")
            try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
        }
    }

    private func read(_ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, _ outbound: Outbound, id: Int, sid: String, pongs: PongClock) async throws {
        for try await frame in inbound {
            switch frame.opcode {
            case .connectionClose:
                throw Ending.clientClosed
            case .ping:
                try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
            case .text:
                guard frame.fin else { throw Ending.protocolError("fragmented text frames are not served") }
                let text = String(buffer: frame.unmaskedData)
                if endpoint.transport == .socketIO {
                    try await socketIOPacket(text, outbound, id: id, sid: sid, pongs: pongs)
                }
            case .binary:
                throw Ending.protocolError("binary frames are not part of this channel")
            default:
                continue
            }
        }
        throw Ending.clientClosed
    }

    private func socketIOPacket(_ text: String, _ outbound: Outbound, id: Int, sid: String, pongs: PongClock) async throws {
        let packet: EnginePacket
        do { packet = try EnginePacket(parsing: text) } catch { throw Ending.protocolError(error.description) }
        switch packet {
        case .pong:
            pongs.answered()
        case .ping(let probe):
            try await send(EnginePacket.pong(probe).text, outbound)
        case .close:
            throw Ending.clientClosed
        case .message(let data):
            let socket: SocketPacket
            do { socket = try SocketPacket(parsing: data) } catch { throw Ending.protocolError(error.description) }
            let namespace = endpoint.spec.socketIO.namespace
            switch socket.kind {
            case .connect where socket.namespace == namespace || socket.namespace == "/":
                let reply = SocketPacket(kind: .connect, namespace: socket.namespace, payload: #"{"sid":"\#(sid)-\#(id)"}"#)
                try await send(EnginePacket.message(reply.text).text, outbound)
                if socket.namespace == namespace { hub.setListening(id, true) }
            case .connect:
                let refusal = SocketPacket(kind: .connectError, namespace: socket.namespace, payload: #"{"message":"Invalid namespace","data":"this server's namespace is \#(namespace)"}"#)
                try await send(EnginePacket.message(refusal.text).text, outbound)
            case .disconnect where socket.namespace == namespace:
                hub.setListening(id, false)
            default:
                // Events and acks from a client: this channel is one-way, so they are ignored.
                break
            }
        case .open, .upgrade, .noop:
            break
        }
    }

    private func write(_ outbox: AsyncStream<ProgressHub.Outgoing>, _ outbound: Outbound) async throws {
        for await outgoing in outbox {
            switch outgoing {
            case .text(let text):
                try await send(text, outbound)
            case .close:
                if endpoint.transport == .socketIO {
                    try await send(EnginePacket.message(SocketPacket(kind: .disconnect, namespace: endpoint.spec.socketIO.namespace).text).text, outbound)
                }
                throw Ending.serverClosed
            case .drop:
                if endpoint.transport == .socketIO {
                    try await send(EnginePacket.ping("").text, outbound)
                } else {
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()))
                }
                throw Ending.dropped
            }
        }
        throw Ending.serverClosed
    }

    private func heartbeat(_ outbound: Outbound, pongs: PongClock) async throws {
        while true {
            try await Task.sleep(for: pingInterval)
            pongs.pinged()
            try await send(EnginePacket.ping("").text, outbound)
            try await Task.sleep(for: pingTimeout)
            if pongs.isOverdue { throw Ending.missedPong }
        }
    }

    /// The close each ending sends: a close frame with its code, or none for a drop.
    private func finish(_ ending: Ending, _ outbound: Outbound) async throws {
        let code: WebSocketErrorCode
        var reason = ""
        switch ending {
        case .clientClosed, .serverClosed: code = .normalClosure
        case .protocolError(let why): code = .protocolError; reason = why
        case .missedPong: code = .goingAway; reason = "ping timeout"
        case .dropped: return
        }
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        data.writeString(String(reason.utf8.prefix(120)) ?? "")
        try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
    }

    private func send(_ text: String, _ outbound: Outbound) async throws {
        try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }
}

/// Whether the last ping was answered.
private final class PongClock: Sendable {
    private let outstanding = NIOLockedValueBox(false)
    func pinged() { outstanding.withLockedValue { $0 = true } }
    func answered() { outstanding.withLockedValue { $0 = false } }
    var isOverdue: Bool { outstanding.withLockedValue { $0 } }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
