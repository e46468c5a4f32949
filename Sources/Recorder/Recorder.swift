import Cassette
import Foundation
import SSEWire

/// Records one real exchange into a cassette: every chunk as it arrives with its monotonic
/// arrival time, secrets taken out of everything kept.
public struct Recorder: Sendable {
    public struct Request: Sendable {
        public var url: String
        public var method = "POST"
        public var headers: [(String, String)] = []
        /// The JSON body as sent (ignored when `form` is given).
        public var body: String
        /// A multipart/form-data body, as the SDKs send image edits.
        public var form: FormBody?
        public var name: String
        public var surface: String
        public var dialect = "openai"
        public var connectTimeout: Duration = .seconds(10)
        public var idleTimeout: Duration? = .seconds(120)
        public var maxTime: Duration?
        public var maxEvents: Int?
        /// Stop once the stream's final event (completed, failed, incomplete, or [DONE]) is in.
        public var stopAfterFinalEvent = false
        public var caCertificate: String?
        public var insecure = false
        /// Bytes to send exactly as they are, instead of `body` or `form`: what a proxy's client
        /// sent, with what the cassette keeps of them (redacted on the way in).
        public var forwardedBody: ForwardedBody?
        /// The path (and query) the cassette keeps, when not the URL's: a proxy keeps the path
        /// its client asked for, without the upstream's own prefix.
        public var recordedPath: String?
        /// Parse the stream as it arrives, for `onEvent` and the event counts of `onProgress`
        /// (always, with `maxEvents` or `stopAfterFinalEvent`). A proxy that only passes the
        /// bytes on leaves it off: the cassette's events are derived when it is saved.
        public var watchesEvents = true
        /// The most libcurl reads from the socket at once; nil keeps libcurl's 16 KiB.
        public var receiveBufferSize: Int?
        /// Asked while the response arrives; true stops the recording, which keeps what
        /// arrived and ends `interrupted` (Ctrl-C in `tapedeck record`).
        public var isInterrupted: (@Sendable () -> Bool)?

        public init(url: String, body: String, name: String, surface: String) {
            self.url = url
            self.body = body
            self.name = name
            self.surface = surface
        }
    }

    /// What happened while recording, for a progress display.
    public struct Progress: Sendable {
        public var bytes: Int
        public var chunks: Int
        public var events: Int
        public var partialImages: Int
        public var elapsed: Duration
    }

    public let redactor: Redactor
    public let tool: String

    public init(redactor: Redactor, tool: String) {
        self.redactor = redactor
        self.tool = tool
    }

    /// Sends the request and records the response. Throws only when no response arrived.
    ///
    /// `onHead` and `onBody` see the response as it arrives, unredacted, for passing it on:
    /// the status and headers once, before any body, then every chunk as libcurl hands it over.
    public func record(
        _ request: Request,
        onHead: @escaping (Int, [(String, String)]) -> Void = { _, _ in },
        onBody: @escaping (UnsafeRawBufferPointer) -> Void = { _ in },
        onEvent: @escaping (SSEEvent) -> Void = { _ in },
        onProgress: @escaping (Progress) -> Void = { _ in }
    ) throws(RecordingFailure) -> Cassette {
        var pieces: [[UInt8]] = []
        var received = 0
        var chunkEnds: [Int] = []
        var chunkTimes: [Duration] = []
        var parser = SSEParser()
        var events = 0
        var partials = 0
        var stopReason: RecordingEnding?
        let started = ContinuousClock.now
        let watchesEvents = request.watchesEvents || request.maxEvents != nil || request.stopAfterFinalEvent
        let transfer = CurlTransfer()
        var curlRequest = CurlTransfer.Request(url: request.url)
        curlRequest.method = request.method
        curlRequest.headers = request.headers
        curlRequest.body = request.forwardedBody?.bytes ?? Array(request.body.utf8)
        curlRequest.form = request.forwardedBody == nil ? request.form : nil
        curlRequest.receiveBufferSize = request.receiveBufferSize
        curlRequest.connectTimeout = request.connectTimeout
        curlRequest.idleTimeout = request.idleTimeout
        curlRequest.maxTime = request.maxTime
        curlRequest.caCertificate = request.caCertificate
        curlRequest.insecure = request.insecure
        curlRequest.isInterrupted = request.isInterrupted
        let outcome = transfer.perform(curlRequest, onHeaders: { [unowned transfer] in onHead(transfer.status, transfer.headers) }) { chunk, time in
            onBody(chunk)
            // Kept as pieces while bytes flow and joined once the response is done: a body
            // that doubled its storage as it grew would copy itself again and again while a
            // proxy's client waits.
            pieces.append([UInt8](chunk))
            received += chunk.count
            chunkEnds.append(received)
            chunkTimes.append(time)
            var sawFinal = false
            if watchesEvents {
                parser.feed(chunk) { event in
                    events += 1
                    if event.data.contains("partial_image") { partials += 1 }
                    if Self.isFinal(event) { sawFinal = true }
                    onEvent(event)
                }
            }
            onProgress(Progress(bytes: received, chunks: chunkEnds.count, events: events, partialImages: partials, elapsed: time))
            if let maxEvents = request.maxEvents, events >= maxEvents {
                stopReason = .maxEvents
                return false
            }
            if request.stopAfterFinalEvent, sawFinal {
                stopReason = .finalEvent
                return false
            }
            return true
        }
        let ending: RecordingEnding
        switch outcome {
        case .complete: ending = .complete
        case .stopped: ending = stopReason ?? .complete
        case .interrupted: ending = .interrupted
        case .idleTimeout: ending = .idleTimeout
        case .maxTime: ending = .maxTime
        case .truncated: ending = .truncated
        case .failed(let failure):
            throw RecordingFailure(url: redactor.url(request.url), reason: redactor.text(failure.reason), kind: RecordingFailure.Kind(failure.kind), elapsed: ContinuousClock.now - started)
        }
        var body: [UInt8] = []
        body.reserveCapacity(received)
        for piece in pieces { body.append(contentsOf: piece) }
        pieces = []
        // A 401 may echo the key it refused; the chunks stay as they arrived, around the placeholder.
        let redacted = redactor.body(body, chunkEnds: chunkEnds, chunkTimes: chunkTimes)
        body = []
        let recording: SSERecording
        do {
            recording = try SSERecording(bytes: redacted.bytes, chunkEnds: redacted.chunkEnds)
        } catch {
            throw RecordingFailure(url: redactor.url(request.url), reason: "the chunks did not add up: \(error)", kind: .other, elapsed: ContinuousClock.now - started)
        }
        return Cassette(
            name: request.name, surface: request.surface, dialect: request.dialect,
            provenance: .recorded(host: Self.host(of: request.url), at: Self.now(), tool: tool),
            request: recordedRequest(request),
            response: RecordedResponse(
                status: transfer.status,
                headers: transfer.headers.map { Header($0.0, redactor.header(name: $0.0, value: $0.1)) },
                recording: recording, chunkTimes: redacted.chunkTimes, ending: ending
            )
        )
    }

    /// The request as its cassette keeps it: secrets redacted from the path, the headers and
    /// the body.
    public func recordedRequest(_ request: Request) -> RecordedRequest {
        RecordedRequest(
            method: request.method,
            path: redactor.url(request.recordedPath ?? RequestURL.pathAndQuery(of: request.url)),
            headers: request.headers.map { Header($0.0, redactor.header(name: $0.0, value: $0.1)) },
            body: recordedBody(request)
        )
    }

    /// The request body as a cassette keeps it: redacted JSON, or form fields (redacted) with
    /// file parts described by size and SHA-256.
    func recordedBody(_ request: Request) -> RequestBody {
        if let forwarded = request.forwardedBody {
            switch forwarded.recorded {
            case .none: return .none
            case .json(let text): return .json(redactor.text(text))
            case .form(let fields, let files): return .form(fields: fields.map { ($0.name, redactor.field(name: $0.name, value: $0.value)) }, files: files)
            }
        }
        guard let form = request.form else { return .json(redactor.text(request.body)) }
        let files = form.files.map { file in
            FilePart(
                name: file.name, filename: URL(fileURLWithPath: file.path).lastPathComponent, contentType: file.contentType,
                contents: FileManager.default.contents(atPath: file.path).map { [UInt8]($0) } ?? []
            )
        }
        return .form(fields: form.fields.map { ($0.name, redactor.field(name: $0.name, value: $0.value)) }, files: files)
    }

    /// The event after which a stream has nothing more to say.
    static func isFinal(_ event: SSEEvent) -> Bool {
        if event.data.hasPrefix("[DONE]") { return true }
        let head = event.data.prefix(200)
        return ["image_generation.completed", "image_edit.completed", "response.completed", "response.failed", "response.incomplete"]
            .contains { head.contains("\"type\":\"\($0)\"") || event.eventField == $0 }
    }

    static func host(of url: String) -> String { RequestURL.host(of: url) }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }
}

/// Bytes a proxy forwards as they are, and what its cassette keeps of them.
public struct ForwardedBody: Sendable {
    public var bytes: [UInt8]
    /// The body as the cassette describes it (JSON text, or a form's fields and file digests),
    /// before redaction.
    public var recorded: RequestBody

    public init(bytes: [UInt8], recorded: RequestBody) {
        self.bytes = bytes
        self.recorded = recorded
    }
}
