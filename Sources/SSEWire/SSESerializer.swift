/// Writes events as event-stream bytes, in the dialect asked for: line endings, `event:` lines,
/// `id` and `retry` fields, comment heartbeats. What it writes parses back to the same events.
public struct SSESerializer: Sendable {
    public var options: Options
    /// The last event ID the written stream has set so far; an `id` field is written when an
    /// event's differs.
    public private(set) var lastEventID = ""

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Appends one event, ended by its blank line.
    public mutating func append(_ event: SSEEvent, to output: inout [UInt8]) throws(SSESerializationError) {
        try Self.check(event)
        let ending = options.lineEnding.bytes
        if let retry = event.retry, options.writesRetry {
            appendField("retry", value: String(retry).utf8, to: &output)
        }
        if options.writesIDs, event.lastEventID != lastEventID {
            appendField("id", value: event.lastEventID.utf8, to: &output)
            lastEventID = event.lastEventID
        }
        switch options.eventField {
        case .whenNamed where !event.eventField.isEmpty, .always:
            appendField("event", value: event.type.utf8, to: &output)
        case .whenNamed, .never:
            break
        }
        appendDataLines(event.data, to: &output)
        output.append(contentsOf: ending)
    }

    /// Appends a comment line (a heartbeat, as servers send to keep proxies from timing out).
    /// Each line of `text` becomes a comment line of its own.
    public func appendComment(_ text: String, to output: inout [UInt8]) {
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            output.append(ASCII.colon)
            if !line.isEmpty {
                if options.spaceAfterColon { output.append(ASCII.space) }
                output.append(contentsOf: line.utf8)
            }
            output.append(contentsOf: options.lineEnding.bytes)
        }
    }

    /// Serializes a whole stream.
    public static func serialize(_ events: [SSEEvent], options: Options = Options()) throws(SSESerializationError) -> [UInt8] {
        var serializer = SSESerializer(options: options)
        var output: [UInt8] = []
        for event in events {
            try serializer.append(event, to: &output)
        }
        return output
    }

    private func appendField(_ name: StaticString, value: some Collection<UInt8>, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.append(ASCII.colon)
        // Without the space, a value that starts with one would lose it when parsed.
        if options.spaceAfterColon || value.first == ASCII.space { output.append(ASCII.space) }
        output.append(contentsOf: value)
        output.append(contentsOf: options.lineEnding.bytes)
    }

    /// One `data` line per LF-separated line of `data`, found with the same scan the parser uses.
    private func appendDataLines(_ data: String, to output: inout [UInt8]) {
        var data = data
        data.withUTF8 { bytes in
            var start = 0
            while true {
                let end = firstLineEnd(in: bytes, from: start)
                appendField("data", value: UnsafeBufferPointer(rebasing: bytes[start..<end]), to: &output)
                guard end < bytes.count else { break }
                start = end + 1
            }
        }
    }

    private static func check(_ event: SSEEvent) throws(SSESerializationError) {
        if event.data.utf8.contains(ASCII.carriageReturn) {
            throw .carriageReturnInData
        }
        if event.eventField.utf8.contains(where: { $0 == ASCII.lineFeed || $0 == ASCII.carriageReturn }) {
            throw .lineEndInField(name: "event", value: event.eventField)
        }
        if event.lastEventID.utf8.contains(where: { $0 == ASCII.lineFeed || $0 == ASCII.carriageReturn || $0 == ASCII.null }) {
            throw .lineEndInField(name: "id", value: event.lastEventID)
        }
        if let retry = event.retry, retry < 0 {
            throw .negativeRetry(retry)
        }
    }
}

extension SSESerializer {
    public struct Options: Hashable, Sendable {
        public var lineEnding: LineEnding
        public var eventField: EventFieldPolicy
        /// Write `data: x` rather than `data:x`. Both parse the same.
        public var spaceAfterColon: Bool
        public var writesIDs: Bool
        public var writesRetry: Bool

        public init(
            lineEnding: LineEnding = .lf,
            eventField: EventFieldPolicy = .whenNamed,
            spaceAfterColon: Bool = true,
            writesIDs: Bool = true,
            writesRetry: Bool = true
        ) {
            self.lineEnding = lineEnding
            self.eventField = eventField
            self.spaceAfterColon = spaceAfterColon
            self.writesIDs = writesIDs
            self.writesRetry = writesRetry
        }
    }

    public enum LineEnding: String, CaseIterable, Hashable, Sendable {
        case lf, crlf, cr

        public var bytes: [UInt8] {
            switch self {
            case .lf: [ASCII.lineFeed]
            case .crlf: [ASCII.carriageReturn, ASCII.lineFeed]
            case .cr: [ASCII.carriageReturn]
            }
        }
    }

    /// When to write an `event:` line. Official SDKs read only `data`, and some gateways send
    /// no `event:` lines at all.
    public enum EventFieldPolicy: String, CaseIterable, Hashable, Sendable {
        /// When the event has a name of its own (not the default `message`).
        case whenNamed
        /// Always; the default type is written as `event: message`.
        case always
        /// Never; every event then reads back as `message`.
        case never
    }
}

/// An event that cannot be written as an event stream without changing it.
public enum SSESerializationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A CR in data would read back as a line break (LF): normalize line ends to LF first.
    case carriageReturnInData
    /// An `event` or `id` value holding a line end (or, for `id`, a NUL, which readers ignore).
    case lineEndInField(name: String, value: String)
    case negativeRetry(Int)

    public var description: String {
        switch self {
        case .carriageReturnInData:
            "event data contains a CR, which would read back as LF; normalize its line ends to LF first"
        case .lineEndInField(let name, let value):
            "the \(name) value \(String(reflecting: value)) contains a line end or NUL and cannot be written as one field"
        case .negativeRetry(let value):
            "retry must be zero or more milliseconds, not \(value)"
        }
    }
}
