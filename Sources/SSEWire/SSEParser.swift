/// An incremental event-stream parser that implements WHATWG HTML §9.2.6, "Interpreting an
/// event stream", exactly, fed byte chunks split anywhere.
///
/// The result never depends on where chunks are split. Each byte is examined once: a line that
/// spans many chunks is never re-scanned, and a `data` value streams straight into the event's
/// data buffer, so memory stays proportional to the largest event.
///
/// ```swift
/// var parser = SSEParser()
/// for chunk in chunks { parser.feed(chunk) { event in handle(event) } }
/// if case .midEvent = parser.finish() { reportTruncation() }
/// ```
public struct SSEParser: Sendable {
    public var limits: Limits

    /// The last event ID string: set from the ID buffer at every blank line, as WHATWG says.
    public internal(set) var lastEventID: String = ""
    /// The reconnection time in milliseconds, from the last applied `retry` field.
    public internal(set) var reconnectionTime: Int?
    /// How many bytes have been fed.
    public internal(set) var bytesConsumed: Int = 0
    /// How many times a byte was read by the parser: scanning the input, and decoding each
    /// dispatched event's data once. Stays below twice the input however it is split.
    public internal(set) var bytesExamined: Int = 0
    /// Events discarded because they outgrew `limits.maxEventBytes`.
    public internal(set) var oversizedEventsDropped: Int = 0

    var byteOrderMark = ByteOrderMarkState.pending(matched: 0)
    var line = LineState.start
    /// A CR ended the previous chunk: an LF that starts the next one belongs to it.
    var skipLineFeed = false
    var fieldName: [UInt8] = []
    var fieldValue: [UInt8] = []
    var dataBuffer = SegmentedBytes()
    var eventTypeBuffer: [UInt8] = []
    var lastEventIDBuffer: [UInt8] = []
    var lastEventIDBufferChanged = false
    var retrySinceLastEvent: Int?
    /// Offset of the first byte after the last blank line, once a byte has arrived there.
    var blockStart: Int?
    /// The current block outgrew the limits: its lines are ignored until the next blank line.
    var blockOverflowed = false

    public init(limits: Limits = .default) {
        self.limits = limits
        fieldName.reserveCapacity(8)
    }

    /// Feeds the next chunk of the stream, calling `onEvent` for each event it completes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, onEvent: (SSEEvent) -> Void) {
        feed(chunk.assumingMemoryBound(to: UInt8.self), onEvent: onEvent)
    }

    /// Feeds the next chunk of the stream, calling `onEvent` for each event it completes.
    public mutating func feed(_ chunk: Span<UInt8>, onEvent: (SSEEvent) -> Void) {
        chunk.withUnsafeBufferPointer { feed($0, onEvent: onEvent) }
    }

    /// Feeds the next chunk of the stream, calling `onEvent` for each event it completes.
    public mutating func feed(_ chunk: some Collection<UInt8>, onEvent: (SSEEvent) -> Void) {
        let fedContiguously: Void? = chunk.withContiguousStorageIfAvailable { feed($0, onEvent: onEvent) }
        if fedContiguously == nil {
            Array(chunk).withUnsafeBufferPointer { feed($0, onEvent: onEvent) }
        }
    }

    /// Feeds the next chunk of the stream and returns the events it completes.
    public mutating func feed(_ chunk: some Collection<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        feed(chunk) { events.append($0) }
        return events
    }

    /// Feeds the next chunk of the stream, calling `onEvent` for each event it completes.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, onEvent: (SSEEvent) -> Void) {
        // A stream fed byte by byte spends nearly all its bytes inside a data value.
        if chunk.count == 1, !skipLineFeed, case .value(.data) = line,
           chunk[0] != ASCII.lineFeed, chunk[0] != ASCII.carriageReturn, dataBuffer.count < limits.maxEventBytes {
            dataBuffer.append(chunk[0])
            bytesExamined += 1
            bytesConsumed += 1
            return
        }
        var start = 0
        if case .pending = byteOrderMark {
            start = consumeByteOrderMark(chunk, onEvent: onEvent)
        }
        if start < chunk.count {
            scan(chunk, from: start, chunkOffset: bytesConsumed, onEvent: onEvent)
        }
        bytesConsumed += chunk.count
    }

    /// Ends the input. A block not closed by a blank line is discarded, as WHATWG says; the
    /// result tells whether that happened. The parser is ready for a new stream afterwards,
    /// keeping its limits and its buffers, so parsing stream after stream (as a fuzz suite
    /// does) reuses memory instead of faulting in fresh pages.
    public mutating func finish() -> SSEStreamEnd {
        if case .pending(let matched) = byteOrderMark, matched > 0 {
            // The stream ended inside what could have been a BOM: those bytes were text.
            byteOrderMark = .resolved
            Self.withByteOrderMarkPrefix(matched) { scan($0, from: 0, chunkOffset: 0, onEvent: { _ in }) }
        }
        let end: SSEStreamEnd
        if let blockStart, bytesConsumed > blockStart {
            end = .midEvent(SSEUnterminatedBlock(
                byteRange: blockStart...(bytesConsumed - 1),
                heldData: !blockOverflowed && (!dataBuffer.isEmpty || line.isDataField(named: fieldName))
            ))
        } else {
            end = .clean
        }
        var fresh = SSEParser(limits: limits)
        dataBuffer.removeAll()
        swap(&fresh.dataBuffer, &dataBuffer)
        self = fresh
        return end
    }

    /// Parses a whole stream at once.
    public static func parse(_ bytes: some Collection<UInt8>, limits: Limits = .default) -> (events: [SSEEvent], end: SSEStreamEnd) {
        var parser = SSEParser(limits: limits)
        let events = parser.feed(bytes)
        return (events, parser.finish())
    }
}

extension SSEParser {
    /// Bounds that keep a hostile or broken stream from growing memory without end.
    public struct Limits: Hashable, Sendable {
        /// The most bytes one event may buffer (its data, or one `event` or `id` value).
        /// A larger event is discarded up to its blank line and counted in `oversizedEventsDropped`.
        public var maxEventBytes: Int

        public init(maxEventBytes: Int) {
            self.maxEventBytes = maxEventBytes
        }

        /// 256 MiB: room for an 8K PNG in base64.
        public static let `default` = Limits(maxEventBytes: 256 << 20)
    }
}
