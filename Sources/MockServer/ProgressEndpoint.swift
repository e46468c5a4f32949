import ImageStreamSpec

/// Where progress sockets connect: a dialect's Socket.IO path and plain WebSocket path (see
/// ``ProgressSpec``), and what a request to one of them that cannot be a socket is told.
struct ProgressEndpoint: Hashable, Sendable {
    let spec: ProgressSpec
    let transport: ProgressRecording.Transport
    /// The `/s/<scenario>` and `/c/<cassette>` prefixes the socket was opened under: such a
    /// socket hears only the jobs of requests under the same prefixes (one scenario's faults
    /// stay in that scenario when a suite runs many at once); one without hears every job.
    var scope: ProgressScope? = nil

    /// The Engine.IO protocol version served.
    static let engineIOVersion = "4"

    /// Which socket path `uri` names, whatever its query says (an upgrade to it is taken, and a
    /// bad query refused on the socket itself: once a client asked to upgrade, the server's
    /// HTTP decoder reads no more of that connection).
    static func path(of uri: String, among specs: [ProgressSpec]) -> ProgressEndpoint? {
        guard let prefixes = try? Route.Prefixes(uri) else { return nil }
        let path = normalized(prefixes.path)
        let scope = ProgressScope(prefixes)
        for spec in specs {
            if path == normalized(spec.socketIO.path) { return ProgressEndpoint(spec: spec, transport: .socketIO, scope: scope) }
            if path == normalized(spec.webSocket.path) { return ProgressEndpoint(spec: spec, transport: .webSocket, scope: scope) }
        }
        return nil
    }

    /// What a request to `uri` is: nil when the path is no progress socket's. `isUpgrade` says
    /// whether it asks for a WebSocket.
    static func match(uri: String, isUpgrade: Bool, among specs: [ProgressSpec]) -> Result<ProgressEndpoint, Refusal>? {
        guard let prefixes = try? Route.Prefixes(uri) else { return nil }
        let path = normalized(prefixes.path)
        let scope = ProgressScope(prefixes)
        let query = Dictionary(
            (prefixes.query ?? "").split(separator: "&").map { pair -> (String, String) in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]).removingPercentEncoding : "")
            },
            uniquingKeysWith: { first, _ in first })
        for spec in specs {
            if path == normalized(spec.socketIO.path) {
                guard query["transport"] == "websocket" else { return .failure(.unknownTransport(query["transport"])) }
                guard query["EIO"] == engineIOVersion else { return .failure(.unsupportedVersion(query["EIO"])) }
                guard isUpgrade else { return .failure(.notAnUpgrade(path: spec.socketIO.path)) }
                return .success(ProgressEndpoint(spec: spec, transport: .socketIO, scope: scope))
            }
            if path == normalized(spec.webSocket.path) {
                guard isUpgrade else { return .failure(.notAnUpgrade(path: spec.webSocket.path)) }
                return .success(ProgressEndpoint(spec: spec, transport: .webSocket, scope: scope))
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

/// The URL prefixes a socket or a request came under (``ProgressEndpoint/scope``).
struct ProgressScope: Hashable, Sendable {
    let scenario: String?
    let cassette: String?

    init?(_ prefixes: Route.Prefixes) {
        guard prefixes.scenarioText != nil || prefixes.cassetteName != nil else { return nil }
        scenario = prefixes.scenario?.description
        cassette = prefixes.cassetteName
    }

    init?(_ route: Route) {
        guard route.scenarioText != nil || route.cassetteName != nil else { return nil }
        scenario = route.scenario?.description
        cassette = route.cassetteName
    }

    /// Whether a socket of scope `socket` hears a job of scope `job`.
    static func hears(socket: ProgressScope?, job: ProgressScope?) -> Bool {
        socket == nil || socket == job
    }
}
