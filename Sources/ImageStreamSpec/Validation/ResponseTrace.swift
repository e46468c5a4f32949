import SSEWire

/// A response taken apart once, for every check to read: its events with their JSON, or its
/// JSON body, and every image payload decoded once.
public struct ResponseTrace: Sendable {
    public let bytes: [UInt8]
    public let isStream: Bool
    public let events: [TraceEvent]
    public let streamEnd: SSEStreamEnd
    /// The JSON body, when the response is one.
    public let body: JSONValue?
    public let bodyError: JSONParseError?
    public var payloads: [ImagePayload] = []

    /// One dispatched event with its data read as JSON.
    public struct TraceEvent: Sendable {
        public let index: Int
        /// The dispatched event. Its data is emptied once it parsed as JSON, which holds it.
        public let event: SSEEvent
        /// The `data` parsed as JSON, when it parses.
        public let json: JSONValue?
        public let jsonError: JSONParseError?
        /// `data: [DONE]` (the SDKs match it as a prefix).
        public let isDone: Bool

        /// The JSON `type` field.
        public var type: String? { json?["type"]?.string }
    }

    init(_ response: ValidationInput.Response) {
        switch response {
        case .stream(let bytes):
            self.bytes = bytes
            self.isStream = true
            // Each event is taken apart as the parser completes it: no list of raw events is
            // held beside the trace's own.
            var parser = SSEParser()
            var events: [TraceEvent] = []
            parser.feed(bytes) { event in events.append(Self.traceEvent(event, index: events.count)) }
            let end = parser.finish()
            self.events = events
            self.streamEnd = end
            self.body = nil
            self.bodyError = nil
        case .body(let bytes):
            self.bytes = bytes
            self.isStream = false
            self.events = []
            self.streamEnd = .clean
            (self.body, self.bodyError) = Self.parseJSON(bytes)
        }
    }

    private static func traceEvent(_ event: SSEEvent, index: Int) -> TraceEvent {
        if event.data.hasPrefix("[DONE]") {
            return TraceEvent(index: index, event: event, json: nil, jsonError: nil, isDone: true)
        }
        let parsed = parseJSON(event.data)
        // Once parsed, the JSON holds the payload; keep the text only to quote what failed.
        var kept = event
        if parsed.value != nil { kept.data = "" }
        return TraceEvent(index: index, event: kept, json: parsed.value, jsonError: parsed.error, isDone: false)
    }

    /// How many events a stream dispatches, counted without keeping them.
    public static func eventCount(of bytes: [UInt8]) -> Int {
        var parser = SSEParser()
        var count = 0
        parser.feed(bytes) { _ in count += 1 }
        _ = parser.finish()
        return count
    }

    private static func parseJSON(_ text: String) -> (value: JSONValue?, error: JSONParseError?) {
        var text = text
        return text.withUTF8 { parseJSON($0) }
    }

    private static func parseJSON(_ bytes: some Collection<UInt8>) -> (value: JSONValue?, error: JSONParseError?) {
        do throws(JSONParseError) {
            return (try JSONValue.parse(bytes), nil)
        } catch {
            return (nil, error)
        }
    }

    /// Events that carry JSON, the `[DONE]` sentinel aside.
    public var jsonEvents: [TraceEvent] { events.filter { $0.json != nil } }

    /// The index of the first `[DONE]`, if any.
    public var doneIndex: Int? { events.first { $0.isDone }?.index }

    /// Where a location's bytes are.
    func byteRange(of location: Finding.Location) -> ClosedRange<Int>? {
        switch location {
        case .event(let index) where events.indices.contains(index): events[index].event.byteRange
        case .body, .stream: bytes.isEmpty ? nil : 0...(bytes.count - 1)
        default: nil
        }
    }

    /// The first bytes of a location, printable: line ends and other controls shown escaped.
    func excerpt(of location: Finding.Location, limit: Int = 96) -> String? {
        guard let range = byteRange(of: location) else { return nil }
        var printable: [UInt8] = []
        for byte in bytes[range].prefix(limit) {
            switch byte {
            case 0x0A: printable += Array("\\n".utf8)
            case 0x0D: printable += Array("\\r".utf8)
            case 0x09: printable += Array("\\t".utf8)
            case ..<0x20, 0x7F: printable += Array("\\x".utf8) + Array(String(byte, radix: 16, uppercase: true).utf8).leftPadded(to: 2)
            default: printable.append(byte)
            }
        }
        var text = String(decoding: printable, as: UTF8.self)
        if range.count > limit { text += "…" }
        return text
    }
}

private extension Array where Element == UInt8 {
    func leftPadded(to width: Int) -> [UInt8] {
        Array(repeating: UInt8(ascii: "0"), count: Swift.max(0, width - count)) + self
    }
}
