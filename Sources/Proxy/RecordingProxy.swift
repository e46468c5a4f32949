import Cassette
import Foundation
import MockServer
import Recorder

/// A recording proxy: every request is replayed from a cassette, or forwarded upstream through
/// libcurl with its response streamed back chunk by chunk as it arrives while it is recorded,
/// or refused, as the record mode says. Plugged into a `MockServer`, so replays go through the
/// same delivery engine (and `/s/<scenario>` prefixes) as `tapedeck serve`.
public final class RecordingProxy: RequestInterceptor {
    public struct Configuration: Sendable {
        /// The upstream's origin, with an optional path prefix: a request's path is appended.
        public var upstream: String
        /// The folder the cassettes are read from and recorded into.
        public var cassettes: String
        public var mode: RecordMode = .newEpisodes
        public var redactor: Redactor
        public var dialect = "openai"
        public var caCertificate: String?
        public var insecure = false
        /// Write a cassette for an upstream that could not be reached (DNS, connection, TLS).
        public var recordFailures = false
        public var connectTimeout: Duration = .seconds(10)
        public var idleTimeout: Duration = .seconds(120)
        /// One line per request: what was answered, from where, into which cassette.
        public var log: @Sendable (String) -> Void = { _ in }
        /// The upstream's progress socket, recorded beside each recorded exchange (nil: none).
        public var progress: ProgressCapture?

        /// Where the progress socket is and how long to keep it after an answer.
        public struct ProgressCapture: Sendable {
            /// `ws://HOST:PORT/socket.io/?EIO=4&transport=websocket` or a plain WebSocket URL.
            public var url: String
            public var namespace: String
            /// The most it is kept open after the answer, for a completion that comes late.
            public var linger: Duration
            /// Whether a frame ends the job (its completion), so the socket closes at once.
            public var isLast: @Sendable (String) -> Bool

            public init(url: String, namespace: String, linger: Duration, isLast: @escaping @Sendable (String) -> Bool) {
                self.url = url
                self.namespace = namespace
                self.linger = linger
                self.isLast = isLast
            }
        }

        public init(upstream: String, cassettes: String, redactor: Redactor) {
            self.upstream = upstream
            self.cassettes = cassettes
            self.redactor = redactor
        }
    }

    public let configuration: Configuration
    let library: CassetteLibrary
    let recorder: Recorder

    /// libcurl reads up to this much at once, so a large payload crosses in few chunks.
    static let receiveBufferSize = 256 << 10

    /// Loads the cassettes already in the folder (a missing folder is created on first record).
    public init(configuration: Configuration, tool: String) throws(CassetteError) {
        var configuration = configuration
        while configuration.upstream.hasSuffix("/") { configuration.upstream.removeLast() }
        self.configuration = configuration
        self.library = try CassetteLibrary(folder: configuration.cassettes)
        self.recorder = Recorder(redactor: configuration.redactor, tool: tool)
    }

    /// How many cassettes the folder held at start.
    public var cassetteCount: Int { library.all.count }

    public func answer(_ request: InterceptedRequest) async -> Interception {
        let forwarded = forwardedRequest(request)
        let recorded = recorder.recordedRequest(forwarded)
        let shownPath = recorded.path
        if let name = request.cassetteName {
            guard let named = library.cassette(named: name) else {
                return refuse(.notFound("\(configuration.cassettes) holds no cassette named \(name)"), "\(request.method) \(shownPath)")
            }
            log("\(request.method) \(shownPath) → replayed \(named.name)")
            return .replay(named)
        }
        guard request.surface != nil else {
            if configuration.mode == .none {
                return refuse(.notFound("tapedeck proxy --record-mode none replays only POST /v1/images/generations, /v1/images/edits and /v1/responses; \(request.method) \(shownPath) is none of them"), "\(request.method) \(shownPath)")
            }
            return forward(forwarded, record: false)
        }
        if configuration.mode != .all, let cassette = library.cassette(for: recorded) {
            log("\(request.method) \(shownPath) → replayed \(cassette.name)")
            return .replay(cassette)
        }
        switch configuration.mode {
        case .all, .newEpisodes:
            return forward(forwarded, record: true)
        case .once where library.startedEmpty:
            return forward(forwarded, record: true)
        case .once, .none:
            let why = configuration.mode == .none
                ? "tapedeck proxy --record-mode none"
                : "tapedeck proxy --record-mode once, with a folder that already held cassettes,"
            let message = "\(why) has no cassette for \(request.method) \(shownPath) with these fields (it would be \(forwarded.name)\(Cassette.fileExtension) in \(configuration.cassettes)); \(NearestCassette.describe(recorded, among: library.all)). Record it with --record-mode new-episodes."
            return refuse(OpenAIError(status: 404, message: message, type: "invalid_request_error", param: nil, code: "cassette_not_found"), "\(request.method) \(shownPath)")
        }
    }

    private func refuse(_ error: OpenAIError, _ what: String) -> Interception {
        log("\(what) → \(error.status) \(error.code ?? error.type)")
        return .refuse(error)
    }

    private func log(_ line: String) {
        configuration.log(line)
    }

    /// Headers that belong to one connection, or that would change the bytes recorded: the
    /// upstream is asked for an uncompressed body, so the cassette holds what a client parses.
    static let unforwardedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
        "proxy-authorization", "te", "trailer", "upgrade", "expect", "accept-encoding",
    ]

    /// The upstream request: the same method, path, headers (less hop-by-hop ones) and bytes.
    func forwardedRequest(_ request: InterceptedRequest) -> Recorder.Request {
        let surface = request.surface ?? "other"
        var forwarded = Recorder.Request(url: configuration.upstream + request.path, body: "", name: "", surface: surface)
        forwarded.method = request.method
        forwarded.recordedPath = request.path
        forwarded.headers = request.headers.filter { !Self.unforwardedHeaders.contains($0.0.lowercased()) }
        let kept: RequestBody
        if let form = request.form {
            kept = .form(fields: form.fields, files: form.files)
        } else if request.body.isEmpty {
            kept = .none
        } else {
            kept = .json(String(decoding: request.body, as: UTF8.self))
        }
        forwarded.forwardedBody = ForwardedBody(bytes: request.body, recorded: kept)
        forwarded.dialect = configuration.dialect
        forwarded.caCertificate = configuration.caCertificate
        forwarded.insecure = configuration.insecure
        forwarded.connectTimeout = configuration.connectTimeout
        forwarded.idleTimeout = configuration.idleTimeout
        forwarded.receiveBufferSize = Self.receiveBufferSize
        forwarded.watchesEvents = false
        forwarded.name = Cassette.name(surface: surface, request: recorder.recordedRequest(forwarded))
        return forwarded
    }

    /// Streams the upstream's answer to the client as it arrives, from a thread of its own
    /// (libcurl blocks), then saves the cassette when `record` says so.
    private func forward(_ request: Recorder.Request, record: Bool) -> Interception {
        .stream { [self] stream in
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread { [self] in
                    relay(request, into: stream, record: record)
                    done.resume()
                }
            }
        }
    }

    private func relay(_ request: Recorder.Request, into stream: ResponseStream, record: Bool) {
        let what = "\(request.method) \(recorder.recordedRequest(request).path)"
        var cassette: Cassette
        var socketNote = ""
        // Opened before the request goes upstream, as a progress client must; a socket that
        // cannot be opened costs the progress section, never the exchange.
        let socket: ProgressRecorder?
        if record, let capture = configuration.progress {
            do {
                socket = try ProgressRecorder(url: capture.url, namespace: capture.namespace, redactor: configuration.redactor, connectTimeout: configuration.connectTimeout)
            } catch {
                socket = nil
                socketNote = ", no progress recorded: \(error)"
            }
        } else {
            socket = nil
        }
        socket?.requestSent()
        do {
            cassette = try recorder.record(request, onHead: { status, headers in
                stream.head(status: status, headers: headers)
            }, onBody: { bytes in
                stream.body(bytes)
            })
        } catch {
            _ = socket?.finish(linger: .zero)
            let failed = recorder.failureCassette(request, failure: error)
            let saved = record && configuration.recordFailures ? save(failed) : "not recorded (--record-failures records it)"
            stream.head(status: failed.response.status, headers: failed.response.headers.map { ($0.name, $0.value) })
            failed.response.recording.bytes.withUnsafeBytes { stream.body($0) }
            stream.end()
            log("\(what) → \(failed.response.status) upstream unreachable: \(error.reason); \(saved)")
            return
        }
        if let socket, let capture = configuration.progress {
            cassette.progress = socket.finish(linger: capture.linger, until: capture.isLast)
            socketNote = ", \(cassette.progress?.frames.count ?? 0) progress frames"
        }
        // Saved before the response ends: a client that saw the end can send the request again
        // and have it replayed, and a proxy stopped then has lost nothing.
        let saved = record ? "; " + save(cassette) : ""
        let response = cassette.response
        if response.ending == .complete { stream.end() } else { stream.abort() }
        let summary = "\(response.status), \(response.recording.bytes.count) bytes in \(response.recording.chunkEnds.count) chunks, \(response.ending.rawValue)\(stream.clientGone ? ", the client left early" : "")\(socketNote)"
        log("\(what) → \(record ? "recorded" : "forwarded") (\(summary))\(saved)")
    }

    /// Saves and says where, or why not.
    private func save(_ cassette: Cassette) -> String {
        do {
            return "saved \(try library.add(cassette))"
        } catch {
            return "NOT saved: \(error)"
        }
    }
}
