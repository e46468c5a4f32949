import SSEWire

/// One HTTP exchange, recorded from a provider or synthesized: the request as sent (secrets
/// already redacted by whoever recorded it) and the response byte for byte, with every chunk
/// boundary and its arrival time. The file format is described in Cassettes/README.md.
public struct Cassette: Hashable, Sendable {
    /// The cassette's name; its file is `NAME.cassette.json`.
    public var name: String
    /// The API surface: `images.generate`, `images.edit` or `responses`.
    public var surface: String
    /// The provider dialect: `openai`, `azure`, `aiswing`, `gateway` or `apiyi`.
    public var dialect: String
    public var provenance: Provenance
    public var request: RecordedRequest
    public var response: RecordedResponse
    /// The progress socket recorded next to the exchange, when there was one.
    public var progress: ProgressTape?

    public init(
        name: String,
        surface: String,
        dialect: String,
        provenance: Provenance,
        request: RecordedRequest,
        response: RecordedResponse,
        progress: ProgressTape? = nil
    ) {
        self.name = name
        self.surface = surface
        self.dialect = dialect
        self.provenance = provenance
        self.request = request
        self.response = response
        self.progress = progress
    }

    /// The version of the file format this library writes for a cassette without a progress
    /// section; readers of version 1 read these unchanged.
    public static let formatVersion = "tapedeck-cassette/1"
    /// The version written for a cassette with a progress section (version 1 and a `progress` key).
    public static let progressFormatVersion = "tapedeck-cassette/2"
    /// The file name suffix of a cassette.
    public static let fileExtension = ".cassette.json"
}

/// Where a cassette came from.
public enum Provenance: Hashable, Sendable {
    /// Recorded from `host`, at `at` (ISO 8601), by `tool` (name and version).
    case recorded(host: String, at: String, tool: String)
    /// Made by `tool` (name and version) from `parameters`, a JSON object's text. The file holds
    /// the object itself, so a loaded cassette carries its canonical text: one line, keys sorted.
    case synthesized(tool: String, parameters: String)
    /// Converted by `tool` from a recording another tool made (`format`: `vcrpy` for vcrpy and
    /// pytest-recording cassettes, `har` for HAR files), read from `file`, of an exchange with
    /// `host` at `at` when the file says when. Those tools keep the body but not where its chunks
    /// arrived, so the body is one chunk: replay by `recorded` chunking is replay whole.
    case imported(format: String, file: String, host: String, at: String?, tool: String)

    /// Whether the response's chunks are the ones that arrived (false for an imported recording).
    public var hasArrivalChunks: Bool {
        if case .imported = self { return false }
        return true
    }
}

/// The request as it was sent.
public struct RecordedRequest: Hashable, Sendable {
    public var method: String
    /// The path and query, e.g. `/v1/images/generations`.
    public var path: String
    /// In the order sent, secrets already redacted.
    public var headers: [Header]
    public var body: RequestBody

    public init(method: String, path: String, headers: [Header] = [], body: RequestBody = .none) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

public struct Header: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: String) {
        self.init(name: name, value: value)
    }
}

extension [Header] {
    /// The value of the first header named `name`, compared without regard to case.
    public func first(named name: String) -> String? {
        first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

public enum RequestBody: Hashable, Sendable {
    case none
    /// The JSON text exactly as sent.
    case json(String)
    /// A multipart form: its text fields in order, and its file parts, described but not kept.
    case form(fields: [(name: String, value: String)], files: [FilePart])

    public static func == (lhs: RequestBody, rhs: RequestBody) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case (.json(let left), .json(let right)): left == right
        case (.form(let leftFields, let leftFiles), .form(let rightFields, let rightFiles)):
            leftFiles == rightFiles && leftFields.elementsEqual(rightFields) { $0.name == $1.name && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .none:
            hasher.combine(0)
        case .json(let text):
            hasher.combine(1)
            hasher.combine(text)
        case .form(let fields, let files):
            hasher.combine(2)
            hasher.combine(fields.count)
            for field in fields {
                hasher.combine(field.name)
                hasher.combine(field.value)
            }
            hasher.combine(files)
        }
    }
}

/// A file sent in a multipart form, described by what identifies it rather than kept.
public struct FilePart: Hashable, Sendable {
    /// The form field name, e.g. `image[]` or `mask`.
    public var name: String
    public var filename: String
    public var contentType: String
    /// In bytes.
    public var size: Int
    /// The SHA-256 of the file's bytes, in lowercase hex.
    public var sha256: String

    public init(name: String, filename: String, contentType: String, size: Int, sha256: String) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}

/// The response as it arrived.
public struct RecordedResponse: Hashable, Sendable {
    public var status: Int
    public var headers: [Header]
    /// The body's exact bytes, cut where the chunks arrived.
    public var recording: SSERecording
    /// When each chunk arrived, measured from when the request was sent; one per chunk, in order.
    /// The file keeps whole microseconds.
    public var chunkTimes: [Duration]
    public var ending: RecordingEnding

    public init(status: Int, headers: [Header] = [], recording: SSERecording, chunkTimes: [Duration], ending: RecordingEnding) {
        self.status = status
        self.headers = headers
        self.recording = recording
        self.chunkTimes = chunkTimes
        self.ending = ending
    }
}

/// How the recording ended.
public enum RecordingEnding: String, CaseIterable, Hashable, Sendable {
    /// The server ended the response.
    case complete
    /// The connection dropped before the response ended.
    case truncated
    /// The recorder stopped after a silence longer than its idle timeout.
    case idleTimeout = "idle-timeout"
    /// The recorder stopped at its time limit.
    case maxTime = "max-time"
    /// The recorder stopped after as many events as it was asked for.
    case maxEvents = "max-events"
    /// The recorder stopped after the stream's final event, without waiting for the server to close.
    case finalEvent = "final-event"
    /// The recorder was interrupted (Ctrl-C, SIGTERM) before the response ended: what had
    /// arrived is kept, and the response is not whole.
    case interrupted
    /// No response arrived (DNS, connection or TLS failed); the response is the 502 error that
    /// `tapedeck proxy` answered in its place, naming the upstream and the cause.
    case failed
}

extension Cassette {
    /// The request body's fields as JSON text, for matching and validation: the JSON body as
    /// sent, or the form's text fields as a JSON object of strings (a repeated name keeps its
    /// last value; file parts are left out). Nil when the request has no body.
    public var requestFieldsJSON: String? { request.fieldsJSON }

    /// Whether the request was a multipart form, whose fields are strings standing for numbers.
    public var requestIsForm: Bool {
        if case .form = request.body { return true }
        return false
    }

    /// Whether the response is an event stream: its Content-Type says `text/event-stream`, or,
    /// when it has none, its body parses to at least one event.
    public var isEventStream: Bool {
        if let contentType = response.headers.first(named: "content-type") {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
            return mediaType.trimmingASCIIWhitespace().lowercased() == "text/event-stream"
        }
        return !SSEParser.parse(response.recording.bytes).events.isEmpty
    }
}

extension RecordedRequest {
    /// The body's fields as JSON text: the JSON body as sent, or a form's text fields as a JSON
    /// object of strings (a repeated name keeps its last value; file parts are left out). Nil
    /// when there is no body.
    public var fieldsJSON: String? {
        switch body {
        case .none:
            return nil
        case .json(let text):
            return text
        case .form(let fields, _):
            var members: [(key: String, value: JSON)] = []
            for field in fields {
                if let existing = members.firstIndex(where: { $0.key == field.name }) {
                    members[existing].value = .string(field.value)
                } else {
                    members.append((field.name, .string(field.value)))
                }
            }
            return JSON.object(members).canonicalText
        }
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

/// One chunk of a recorded body as it arrived.
public struct ChunkArrival: Hashable, Sendable {
    /// Where it starts in the body.
    public var offset: Int
    public var length: Int
    /// When it arrived, from when the request was sent.
    public var at: Duration
}

extension RecordedResponse {
    /// Each chunk with its place in the body and its arrival time, in order.
    public var arrivals: [ChunkArrival] {
        var start = 0
        return zip(recording.chunkEnds, chunkTimes).map { end, time in
            defer { start = end }
            return ChunkArrival(offset: start, length: end - start, at: time)
        }
    }
}
