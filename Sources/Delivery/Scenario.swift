/// How one response is delivered: how its bytes are cut into writes, what is rewritten on the
/// way, how the HTTP body is framed, and which faults are injected.
///
/// A scenario has a text form for URL paths (`/s/<scenario>/v1/...`) and the command line;
/// see ``init(parsing:)`` for the grammar. ``description`` prints the canonical text, which
/// parses back to an equal scenario.
///
/// The default scenario delivers the body unchanged, in one write, with chunked framing.
public struct Scenario: Hashable, Sendable {
    /// Where the body is cut into separate writes.
    public var chunking: Chunking = .whole
    /// Seeds `.random` chunk sizes and the extra cuts of `.adversarial` (SplitMix64).
    public var seed: UInt64 = 0
    /// Rewrites every CR, LF and CRLF line end of an event stream to this one.
    public var lineEnding: LineEndingRewrite? = nil
    /// Writes a `: keep-alive` comment line before every Nth delivered event (the Nth, 2Nth,
    /// … event, counting from 1). Zero or negative values are ignored.
    public var heartbeatEvery: Int? = nil
    /// How the server frames the body on the wire.
    public var framing: Framing = .chunked
    /// Faults, applied in the fixed order documented on ``DeliveryPlanner``.
    public var faults: [Fault] = []
    /// Multiplies recorded inter-chunk delays (``Chunking/recorded``): 1 is real time, 0 no
    /// delay at all. Negative or non-finite values count as 0.
    public var timeScale: Double = 1
    /// The least time between two writes, so that a client that reads slower than loopback
    /// delivers still reads each fragment on its own. Zero writes as fast as the socket takes.
    public var pace: Duration = .zero
    /// The response's shape: as documented, or as the live API really sends it.
    public var shape: ResponseShape = .documented
    /// The images as they are, or replaced by real images of their full size.
    public var images: ImageSizing = .original
    /// For a dialect with a progress channel: the answer is a job whose progress goes to the
    /// sockets, and waits its generation time, even when no socket listens (a progress fault
    /// implies it).
    public var progress = false

    /// Whether the answer is a job on the progress channel whatever listens.
    public var usesProgress: Bool { progress || ProgressPlan.fault(of: self) != nil }

    public init(
        chunking: Chunking = .whole,
        seed: UInt64 = 0,
        lineEnding: LineEndingRewrite? = nil,
        heartbeatEvery: Int? = nil,
        framing: Framing = .chunked,
        faults: [Fault] = [],
        timeScale: Double = 1,
        pace: Duration = .zero,
        shape: ResponseShape = .documented,
        images: ImageSizing = .original
    ) {
        self.chunking = chunking
        self.seed = seed
        self.lineEnding = lineEnding
        self.heartbeatEvery = heartbeatEvery
        self.framing = framing
        self.faults = faults
        self.timeScale = timeScale
        self.pace = pace
        self.shape = shape
        self.images = images
    }

    /// Everything at its default: one write, no rewrites, chunked framing, no faults.
    public static let `default` = Scenario()
}

/// Where the body is cut into separate writes, each flushed on its own.
public enum Chunking: Hashable, Sendable {
    /// The recorded chunk boundaries, each written after the recorded gap (scaled by
    /// ``Scenario/timeScale``). Without a recording, the same as `.whole`.
    case recorded
    /// One write for the whole body.
    case whole
    /// One write per byte.
    case bytes
    /// Writes of N bytes (the last may be shorter). N below 1 counts as 1.
    case fixed(Int)
    /// Seeded sizes from 1 to 4096 bytes, biased toward small ones: an exponent `e` is drawn
    /// uniformly from 0…12, then a size uniformly from `2^e ..< 2^(e+1)`, capped at 4096
    /// (SplitMix64 seeded with ``Scenario/seed``). About half the writes are under 64 bytes;
    /// the mean is about 790 bytes.
    case random
    /// Cuts exactly where clients break, and nowhere else but 8 seeded random cuts:
    /// inside every CRLF (between CR and LF); inside every `data` field name (after `d`, `da`,
    /// `dat`, `data`); right before and after every field line's colon; before every UTF-8
    /// continuation byte (inside every multi-byte sequence, a leading BOM's included); and
    /// between the two line ends of every blank-line terminator. A long `data` value stays in
    /// a few large pieces.
    case adversarial
}

/// Which shape of a response is delivered, where the documented one and what real servers
/// send differ.
public enum ResponseShape: String, CaseIterable, Hashable, Sendable {
    /// The stream as the docs and the SDK types describe it (and as it was recorded).
    case documented
    /// As the live API sends it, by the surface's `live_shape` in Specs/ (``LiveShapeSpec``): on
    /// the Responses API no `response.image_generation_call.completed`, the finished image item
    /// left at status `generating`, no `data: [DONE]`, and one partial image, equal to the final
    /// image, when the call had none. A surface without a live shape is delivered as documented.
    case live
}

/// The image payloads delivered.
public enum ImageSizing: String, CaseIterable, Hashable, Sendable {
    /// As the cassette or the synthesizer has them (bundled cassettes carry small images).
    case original
    /// Every image replaced by a real image of the same format, pixel size and alpha, made of
    /// seeded noise that does not compress, as large as a real one on the wire: a 1024x1024 PNG
    /// is a 4 MB base64 line, a 3840x2160 PNG a 33 MB one. Equal payloads get equal images,
    /// different ones different images; made when delivered, from the server's image source.
    case fullSize = "full-size"
}

/// The line end an event stream is rewritten to.
public enum LineEndingRewrite: String, CaseIterable, Hashable, Sendable {
    case lf, crlf, cr

    public var bytes: [UInt8] {
        switch self {
        case .lf: [0x0A]
        case .crlf: [0x0D, 0x0A]
        case .cr: [0x0D]
        }
    }
}

/// How the server frames the body. The plan only carries the choice; the server writes the
/// headers and chunk framing.
public enum Framing: String, CaseIterable, Hashable, Sendable {
    /// `Transfer-Encoding: chunked`; the terminating chunk is written only when the plan's
    /// ending is ``Ending/complete``.
    case chunked
    /// `Content-Length` of the whole planned body, even when a close or reset cuts it short.
    case contentLength = "length"
    /// No length at all: the body ends when the connection closes.
    case close
}

/// How the image behind a URL is broken.
public enum URLImageFault: String, CaseIterable, Hashable, Sendable {
    /// 404, with an OpenAI-shaped error body.
    case missing
    /// The first half of the image.
    case truncated
    /// A whole image, but of another format than the URL names (a JPEG for a .png).
    case otherFormat = "other-format"
}

/// How a job's progress channel is broken. Percentages name a point of the job's progress.
public enum ProgressFault: Hashable, Sendable {
    /// Progress stops once it reaches P %; nothing more is said, and the image still arrives.
    case stall(atPercent: Int)
    /// After P %, a lower percentage, then on as before.
    case backwards(atPercent: Int)
    /// No 100 %: the last progress before it, then the completion message.
    case skip100
    /// 100 % and the completion arrive after the image.
    case late
    /// Every progress socket is closed (a clean WebSocket close) at P %.
    case close(atPercent: Int)
    /// Not one progress message.
    case none
    /// The server pings, takes the pong as missed, and drops the connection (no close frame).
    case missedPong
    /// One packet cut in half, mid-job.
    case malformed
}

/// The shape of an injected in-stream error event.
public enum ErrorShape: String, CaseIterable, Hashable, Sendable {
    /// `{"type":"error","code":…,"message":…,"param":null,"sequence_number":N}`: as the
    /// OpenAPI spec documents for the Responses API.
    case flat
    /// `{"type":"error","error":{"type":…,"code":…,"message":…,"param":null},"sequence_number":N}`:
    /// as OpenAI really sends on the Responses API, and the only shape the Python SDK raises on.
    case nested
}

/// One fault to inject. Event indices are 0-based; a negative index counts from the end (-1 is
/// the last event, so `error-event:nested@-2` puts the error just before the final event).
/// Event-level faults apply only to event streams, in a fixed order (see ``DeliveryPlanner``),
/// and their indices name events of the stream in its delivered shape, before any fault;
/// `close-after-event` alone counts the events as delivered.
public enum Fault: Hashable, Sendable {
    /// Close the connection cleanly (FIN) after N bytes of the final body.
    case closeAfterBytes(Int)
    /// Close cleanly right after the Kth event of the final body (counting the events a
    /// client parses from what is delivered) is complete, blank line included.
    case closeAfterEvent(Int)
    /// Reset the connection (TCP RST) after N bytes of the final body.
    case resetAfterBytes(Int)
    /// Wait `seconds` before writing the byte at offset `afterBytes` of the final body.
    case stall(seconds: Double, afterBytes: Int)
    /// Say nothing for `seconds` before event K of the delivered stream, as a real image job
    /// does before its first event (60–120 s at 4K); with `commentEvery`, a `: keep-alive`
    /// comment block every that many seconds of it, as servers that keep the connection warm do.
    case silence(seconds: Double, beforeEvent: Int, commentEvery: Double?)
    /// Answer with this 4xx/5xx status and an OpenAI-shaped JSON error body instead of the
    /// response, with a `Retry-After` header when given.
    case httpStatus(Int, retryAfter: Int?)
    /// An in-stream error event after event K of the original stream, then (on the
    /// `responses` surface) a `response.failed` event, then the end of the stream.
    case errorEvent(shape: ErrorShape, afterEvent: Int)
    /// On the `responses` surface, a `response.failed` with no error event before it (how a
    /// safety rejection ends a stream: code `image_content_policy_violation`) after event K,
    /// then the end of the stream. Other surfaces have no such event; there it does nothing.
    case responseFailed(afterEvent: Int)
    /// Leave out the stream's final event.
    case dropFinalEvent
    /// Cut the base64 image of the final (non-partial) image event(s) to about half, keeping
    /// the JSON valid and the length a multiple of 4.
    case truncateFinalImage
    /// Send event K of the original stream twice in a row.
    case duplicateEvent(Int)
    /// Exchange events I and J of the original stream.
    case swapEvents(Int, Int)
    /// Keep only the first N partial-image events.
    case fewerPartials(Int)
    /// An `event: ping` block with no data line after event K of the original stream.
    case pingEvent(afterEvent: Int)
    /// Start the stream with a UTF-8 byte order mark (EF BB BF).
    case leadingBOM
    /// Give every delivered event an `id: N` line, N its 0-based position in the delivered stream.
    case idLines
    /// Break the image behind a `response_format: url` answer's URL (the server serves those
    /// images itself, and the URL carries the scenario back to it).
    case urlImage(URLImageFault)
    /// Break the job's real-time progress channel (a dialect's `progress:`); the HTTP answer
    /// is delivered as it would be without it.
    case progress(ProgressFault)

    /// Whether the fault rewrites the event stream (and so needs it parsed).
    var rewritesEvents: Bool {
        switch self {
        case .errorEvent, .responseFailed, .dropFinalEvent, .truncateFinalImage, .duplicateEvent, .swapEvents,
             .fewerPartials, .pingEvent, .leadingBOM, .idLines, .silence:
            true
        case .closeAfterBytes, .closeAfterEvent, .resetAfterBytes, .stall, .httpStatus, .urlImage, .progress:
            false
        }
    }
}
