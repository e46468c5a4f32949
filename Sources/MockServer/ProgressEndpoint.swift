import ImageStreamSpec

/// Where progress sockets connect: a dialect's Socket.IO path and plain WebSocket path (see
/// ``ProgressSpec``), and what a request to one of them that cannot be a socket is told.
struct ProgressEndpoint: Hashable, Sendable {
    let spec: ProgressSpec
    let transport: ProgressRecording.Transport

    /// The Engine.IO protocol version served.
    static let engineIOVersion = "4"

    /// Which socket path `uri` names, whatever its query says (an upgrade to it is taken, and a
    /// bad query refused on the socket itself: once a client asked to upgrade, the server's
    /// HTTP decoder reads no more of that connection).
    static func path(of uri: String, among specs: [ProgressSpec]) -> ProgressEndpoint? {
        let path = normalized(String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
        for spec in specs {
            if path == normalized(spec.socketIO.path) { return ProgressEndpoint(spec: spec, transport: .socketIO) }
            if path == normalized(spec.webSocket.path) { return ProgressEndpoint(spec: spec, transport: .webSocket) }
        }
        return nil
    }

    /// What a request to `uri` is: nil when the path is no progress socket's. `isUpgrade` says
    /// whether it asks for a WebSocket.
    static func match(uri: String, isUpgrade: Bool, among specs: [ProgressSpec]) -> Result<ProgressEndpoint, Refusal>? {
        let pieces = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = normalized(String(pieces.first ?? ""))
        let query = Dictionary(
            (pieces.count > 1 ? pieces[1] : "").split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]).removingPercentEncoding : "")
            },
            uniquingKeysWith: { first, _ in first })
        for spec in specs {
            if path == normalized(spec.socketIO.path) {
                guard query["transport"] == "websocket" else { return .failure(.unknownTransport(query["transport"])) }
                guard query["EIO"] == engineIOVersion else { return .failure(.unsupportedVersion(query["EIO"])) }
                guard isUpgrade else { return .failure(.notAnUpgrade(path: spec.socketIO.path)) }
                return .success(ProgressEndpoint(spec: spec, transport: .socketIO))
            }
            if path == normalized(spec.webSocket.path) {
                guard isUpgrade else { return .failure(.notAnUpgrade(path: spec.webSocket.path)) }
                return .success(ProgressEndpoint(spec: spec, transport: .webSocket))
            }
        }
        return nil
    }

    private static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Why a request to a socket path gets an HTTP answer instead of a socket, in Engine.IO's
    /// own terms (its error codes and messages), so Socket.IO clients report it as they would
    /// a real server's refusal.
    enum Refusal: Error, Hashable, Sendable {
        case unknownTransport(String?)
        case unsupportedVersion(String?)
        case notAnUpgrade(path: String)

        var status: Int { 400 }

        /// Engine.IO's message, for a close frame's reason.
        var message: String {
            switch self {
            case .unknownTransport(let transport): "Transport unknown: Tapedeck serves transport=websocket, not \(transport ?? "none")"
            case .unsupportedVersion(let version): "Unsupported protocol version: Tapedeck speaks EIO=4, not EIO=\(version ?? "none")"
            case .notAnUpgrade(let path): "Bad request: \(path) takes a WebSocket upgrade"
            }
        }

        /// Engine.IO's error body: `{"code":N,"message":"…"}` and a hint for people.
        var body: String {
            switch self {
            case .unknownTransport(let transport):
                #"{"code":0,"message":"Transport unknown","detail":"Tapedeck serves the websocket transport only (transport=websocket), not \#(transport ?? "none"); python-socketio: connect(..., transports=['websocket'])"}"#
            case .unsupportedVersion(let version):
                #"{"code":5,"message":"Unsupported protocol version","detail":"Tapedeck speaks Engine.IO 4 (EIO=4, Socket.IO 3 and 4 clients), not EIO=\#(version ?? "none")"}"#
            case .notAnUpgrade(let path):
                #"{"code":3,"message":"Bad request","detail":"\#(path) takes a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket)"}"#
            }
        }
    }
}
