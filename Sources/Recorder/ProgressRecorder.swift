#if canImport(Glibc)
import Glibc
#endif
import Cassette
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Records a progress socket next to an HTTP exchange: opens it before the request is sent,
/// keeps every frame the server sends with its arrival time, and answers what a Socket.IO
/// client must (the namespace connect, pongs) so the server keeps it open. libcurl on Debian
/// has no WebSocket support, so this side uses SwiftNIO's WebSocket client.
///
/// `ws://` only: `wss://` needs TLS, which this recorder does not link; record a TLS gateway
/// through a local terminator (`socat TCP-LISTEN:8081,fork OPENSSL:gateway:443`).
public final class ProgressRecorder: Sendable {
    /// What the socket speaks: Socket.IO when the URL says so (`/socket.io/` or `EIO=`).
    public let transport: String
    public let url: String
    public let namespace: String?
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let state: NIOLockedValueBox<State>

    struct State {
        var frames: [(at: ContinuousClock.Instant, text: String)] = []
        var requestSent: ContinuousClock.Instant?
        var closed = false
    }

    /// Opens the socket; returns once the server accepted the upgrade.
    public init(url: String, namespace: String, headers: [(String, String)] = [], redactor: Redactor, connectTimeout: Duration = .seconds(10)) throws(RecordingFailure) {
        let shownURL = redactor.url(url)
        guard let target = Target(url) else {
            throw RecordingFailure(url: shownURL, reason: url.hasPrefix("wss://") || url.hasPrefix("https://")
                ? "this recorder opens ws:// progress sockets only (no TLS); put a local TLS terminator in front, e.g. socat TCP-LISTEN:8081,fork OPENSSL:HOST:443, and pass ws://127.0.0.1:8081/…"
                : "a progress socket's URL is ws://HOST[:PORT]/PATH, such as ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket", kind: .other)
        }
        let isSocketIO = target.path.contains("/socket.io/") || target.path.contains("EIO=")
        self.transport = isSocketIO ? "socket.io" : "websocket"
        self.url = shownURL
        self.namespace = isSocketIO ? namespace : nil
        let state = NIOLockedValueBox(State())
        self.state = state
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        var requestHeaders = HTTPHeaders(headers)
        requestHeaders.replaceOrAdd(name: "Host", value: target.hostHeader)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: requestHeaders)
        let joins = isSocketIO ? namespace : nil
        do {
            let upgraded = try ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(connectTimeout))
                .channelInitializer { channel in
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 64 << 20, upgradePipelineHandler: { channel, _ in
                        channel.pipeline.addHandler(FrameRecorder(state: state, joins: joins, redactor: redactor))
                    })
                    let configuration: NIOHTTPClientUpgradeSendableConfiguration = (upgraders: [upgrader], completionHandler: { _ in })
                    // Forwarded: a server may send its first frame (Engine.IO's open packet) in the same read as the 101.
                    return channel.pipeline.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes, withClientUpgrade: configuration).flatMap {
                        channel.pipeline.addHandler(UpgradeRequest(head: head))
                    }
                }
                .connect(host: target.host, port: target.port)
                .wait()
            self.channel = upgraded
            // The upgrade is done when the recorder's handler is in place.
            let deadline = ContinuousClock.now + connectTimeout
            while (try? upgraded.pipeline.handler(type: FrameRecorder.self).wait()) == nil {
                guard upgraded.isActive, ContinuousClock.now < deadline else {
                    upgraded.close(promise: nil)
                    throw RecordingFailure(url: shownURL, reason: "the server did not accept the WebSocket upgrade (is this the progress socket's path?)", kind: .connect)
                }
                usleep(10_000)
            }
            // A Socket.IO namespace hears nothing until the server has accepted the join: the
            // request must not go before, or a short job's messages are lost.
            if let joins {
                let accepted = joins == "/" ? "40{" : "40\(joins),"
                let refused = joins == "/" ? "44{" : "44\(joins),"
                while true {
                    let texts = state.withLockedValue { $0.frames.map(\.text) }
                    if texts.contains(where: { $0.hasPrefix(accepted) }) { break }
                    if let refusal = texts.first(where: { $0.hasPrefix(refused) }) {
                        upgraded.close(promise: nil)
                        throw RecordingFailure(url: shownURL, reason: "the server refused the namespace \(joins): \(refusal)", kind: .connect)
                    }
                    guard upgraded.isActive, ContinuousClock.now < deadline else {
                        upgraded.close(promise: nil)
                        throw RecordingFailure(url: shownURL, reason: "the server did not accept the Socket.IO namespace \(joins) within \(connectTimeout)", kind: .connect)
                    }
                    usleep(5_000)
                }
            }
        } catch let failure as RecordingFailure {
            try? group.syncShutdownGracefully()
            throw failure
        } catch {
            try? group.syncShutdownGracefully()
            throw RecordingFailure(url: shownURL, reason: "cannot open the progress socket: \(error)", kind: .connect)
        }
    }

    /// Marks when the HTTP request went out: frame times count from here.
    public func requestSent() {
        state.withLockedValue { $0.requestSent = .now }
    }

    /// Waits `linger` for late frames (a completion that comes after the image), or until a
    /// frame `isLast` says ends it, closes the socket, and returns what it carried.
    public func finish(linger: Duration, until isLast: ((String) -> Bool)? = nil) -> ProgressTape {
        let until = ContinuousClock.now + linger
        while ContinuousClock.now < until {
            let (closed, frames) = state.withLockedValue { ($0.closed, $0.frames) }
            if closed || (isLast.map { last in frames.contains { last($0.text) } } ?? false) { break }
            usleep(20_000)
        }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
        let (frames, zero) = state.withLockedValue { ($0.frames, $0.requestSent) }
        let start = zero ?? frames.first?.at ?? .now
        return ProgressTape(transport: transport, url: url, namespace: namespace, frames: frames.map { frame in
            ProgressTape.Frame(at: max(.zero, frame.at - start), text: frame.text)
        })
    }

    struct Target {
        var host: String
        var port: Int
        var path: String
        var hostHeader: String

        init?(_ url: String) {
            let rest: Substring
            let defaultPort: Int
            if url.hasPrefix("ws://") { rest = url.dropFirst(5); defaultPort = 80 }
            else if url.hasPrefix("http://") { rest = url.dropFirst(7); defaultPort = 80 }
            else { return nil }
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            if path.hasPrefix("?") { path = "/" + path }
            hostHeader = String(authority)
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? defaultPort : defaultPort
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
                port = number
            } else {
                host = String(authority)
                port = defaultPort
            }
            guard !host.isEmpty else { return nil }
        }
    }
}

/// Sends the upgrade request once the connection is up.
private final class UpgradeRequest: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    let head: HTTPRequestHead

    init(head: HTTPRequestHead) { self.head = head }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }
}

/// Keeps each frame the server sends, and answers what keeps the socket open.
private final class FrameRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    let state: NIOLockedValueBox<ProgressRecorder.State>
    /// The Socket.IO namespace to join once the session opens (nil: a plain WebSocket).
    let joins: String?
    let redactor: Redactor

    init(state: NIOLockedValueBox<ProgressRecorder.State>, joins: String?, redactor: Redactor) {
        self.state = state
        self.joins = joins
        self.redactor = redactor
    }

    /// Joins at once, without waiting for the open packet: the server reads the join whenever it
    /// comes, and a join that waited on a packet the network delayed would lose a short job.
    func handlerAdded(context: ChannelHandlerContext) {
        if let joins { send(Self.join(joins), context: context) }
    }

    static func join(_ namespace: String) -> String {
        namespace == "/" ? "40" : "40\(namespace),"
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let text = String(buffer: frame.unmaskedData)
            state.withLockedValue { $0.frames.append((.now, redactor.text(text))) }
            guard let joins else { return }
            if text == "2" {
                send("3", context: context)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            state.withLockedValue { $0.closed = true }
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLockedValue { $0.closed = true }
        context.fireChannelInactive()
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: context.channel.allocator.buffer(string: text))
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}
