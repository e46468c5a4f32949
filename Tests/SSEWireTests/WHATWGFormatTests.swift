import SSEWire
import Testing

// Table-driven specification of the event-stream parser against WHATWG HTML §9.2.6,
// "Interpreting an event stream".
//
// - `wptFormatRows`: one row per web-platform-tests `eventsource/format-*` case (plus
//   `event-data`), named after the WPT file. The input is the exact body the WPT server sends.
//   Reconnection, Last-Event-ID headers and MIME checks are the client's job, not the parser's,
//   so a row asserts only what the parser shows: events, `reconnectionTime`, `lastEventID` and
//   how the stream ended.
// - `eventSourceDeviationRows`: rows A–J of STYLE.md §4, where mattt/EventSource 1.1.1 departs
//   from WHATWG; each row holds the WHATWG result.
// - `wireEdgeRows`: chunk splits, the BOM, invalid UTF-8, field-name and field-value edges, and
//   exact byte offsets.
//
// Every row is fed whole, one byte at a time, and (when it has one) as its own chunk list; all
// feedings must agree exactly, byte offsets included.

// MARK: - Rows

extension WHATWGFormatTests {
    /// An event as a page would see it, plus the parser's extras.
    struct ExpectedEvent: Hashable, Sendable, CustomStringConvertible {
        var type: String
        var data: String
        var lastEventID: String
        var retry: Int?
        /// Checked only when given.
        var byteRange: ClosedRange<Int>?

        init(
            _ data: String,
            type: String = "message",
            lastEventID: String = "",
            retry: Int? = nil,
            byteRange: ClosedRange<Int>? = nil
        ) {
            self.type = type
            self.data = data
            self.lastEventID = lastEventID
            self.retry = retry
            self.byteRange = byteRange
        }

        var description: String {
            var text = "\(type.debugDescription) data=\(data.debugDescription) id=\(lastEventID.debugDescription)"
            if let retry { text += " retry=\(retry)" }
            if let byteRange { text += " bytes=\(byteRange)" }
            return text
        }
    }

    /// How the stream should end.
    enum ExpectedEnd: Hashable, Sendable {
        /// Nothing followed the last blank line.
        case clean
        /// An unterminated block was discarded; its byte range is checked only when given.
        case midEvent(heldData: Bool, byteRange: ClosedRange<Int>? = nil)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        /// A particular split to feed as well, when the row is about chunk boundaries.
        var chunks: [[UInt8]]?
        var events: [ExpectedEvent]
        /// `reconnectionTime` after the last byte, before `finish()`.
        var reconnectionTime: Int?
        /// `lastEventID` after the last byte, before `finish()`.
        var lastEventID: String
        var end: ExpectedEnd

        init(
            _ name: String,
            _ input: [UInt8],
            events: [ExpectedEvent],
            reconnectionTime: Int? = nil,
            lastEventID: String = "",
            end: ExpectedEnd = .clean
        ) {
            self.name = name
            self.input = input
            self.chunks = nil
            self.events = events
            self.reconnectionTime = reconnectionTime
            self.lastEventID = lastEventID
            self.end = end
        }

        init(
            _ name: String,
            chunks: [[UInt8]],
            events: [ExpectedEvent],
            reconnectionTime: Int? = nil,
            lastEventID: String = "",
            end: ExpectedEnd = .clean
        ) {
            self.init(name, chunks.flatMap { $0 }, events: events, reconnectionTime: reconnectionTime,
                      lastEventID: lastEventID, end: end)
            self.chunks = chunks
        }

        var testDescription: String { name }
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

/// `resources/message.py` (and the older `message.php`): the message, then `\n\n` (nothing
/// with `newline=none`), then `\n`.
private func messagePy(_ message: String, newline: Bool = true) -> [UInt8] {
    bytes(message + (newline ? "\n\n" : "") + "\n")
}

/// `resources/last-event-id.py` without a Last-Event-ID request header.
private func lastEventIDPy(idvalue: [UInt8] = bytes("…")) -> [UInt8] {
    bytes("id: ") + idvalue + bytes("\nretry: 200\ndata: hello\n\n")
}

/// `format-comments` uses a 2048-character comment.
private let longComment = String(repeating: "x", count: 2048)

private let formatCommentsMessage =
    "data:1\r:\0\n:\r\ndata:2\n:" + longComment + "\rdata:3\n:data:fail\r:" + longComment + "\ndata:4\n"

private let formatFieldParsingMessage =
    "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n"

/// The ID values `format-field-id-null` passes to last-event-id.py, each with a U+0000.
private let nullIDValues: [(label: String, bytes: [UInt8])] = [
    ("%00%00", [0x00, 0x00]),
    ("x%00", [0x78, 0x00]),
    ("%00x", [0x00, 0x78]),
    ("x%00x", [0x78, 0x00, 0x78]),
    ("%20%00", [0x20, 0x00]),
]

extension WHATWGFormatTests {
    /// One per WPT `eventsource/format-*` file that tests the stream format, plus `event-data`.
    static let wptFormatRows: [Row] = [
        Row(
            "format-bom",
            messagePy("\u{FEFF}data:1\n\n\u{FEFF}data:2\n\ndata:3"),
            events: [ExpectedEvent("1"), ExpectedEvent("3")]
        ),
        Row(
            "format-bom-2",
            messagePy("\u{FEFF}\u{FEFF}data:1\n\ndata:2\n\ndata:3"),
            events: [ExpectedEvent("2"), ExpectedEvent("3")]
        ),
        Row(
            "format-comments",
            messagePy(formatCommentsMessage, newline: false),
            events: [ExpectedEvent("1\n2\n3\n4")]
        ),
        Row(
            "format-data-before-final-empty-line",
            messagePy("retry:1000\ndata:test1\n\nid:test\ndata:test2", newline: false),
            events: [ExpectedEvent("test1", retry: 1000)],
            reconnectionTime: 1000,
            lastEventID: "", // `id:test` sits in the discarded block: never committed
            end: .midEvent(heldData: true, byteRange: 23...41)
        ),
        Row(
            "format-field-data",
            messagePy("data:\n\ndata\ndata\n\ndata:test"),
            events: [ExpectedEvent(""), ExpectedEvent("\n"), ExpectedEvent("test")]
        ),
        Row(
            "format-field-event",
            messagePy("event:test\ndata:x\n\ndata:x"),
            events: [ExpectedEvent("x", type: "test"), ExpectedEvent("x")]
        ),
        Row(
            "format-field-event-empty",
            messagePy("event: \ndata:data"),
            events: [ExpectedEvent("data", type: "message")]
        ),
        // The first connection. The reconnection that sends `Last-Event-ID: …` is the client's.
        Row(
            "format-field-id",
            lastEventIDPy(),
            events: [ExpectedEvent("hello", lastEventID: "…", retry: 200)],
            reconnectionTime: 200,
            lastEventID: "…"
        ),
        // Stream level only: the first body, then the two bodies last-event-id.py echoes on
        // reconnection, back to back. The ID persists across events that carry no `id`.
        Row(
            "format-field-id-2",
            lastEventIDPy() + bytes("data: …\n\n") + bytes("data: …\n\n"),
            events: [
                ExpectedEvent("hello", lastEventID: "…", retry: 200),
                ExpectedEvent("…", lastEventID: "…"),
                ExpectedEvent("…", lastEventID: "…"),
            ],
            reconnectionTime: 200,
            lastEventID: "…"
        ),
        // format-field-id-3.window.js serves resources/last-event-id2.py (the current version,
        // whose type=3 sends a bare `id`). type=1 (ID_PERSISTS):
        Row(
            "format-field-id-3 (lastEventId persists)",
            bytes("id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n"),
            events: [
                ExpectedEvent("1", lastEventID: "1"),
                ExpectedEvent("2", lastEventID: "1"),
                ExpectedEvent("3", lastEventID: "2"),
                ExpectedEvent("4", lastEventID: "2"),
            ],
            lastEventID: "2"
        ),
        // last-event-id2.py, type=2 (ID_RESETS_1):
        Row(
            "format-field-id-3 (lastEventId resets)",
            bytes("id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n"),
            events: [
                ExpectedEvent("1", lastEventID: "1"),
                ExpectedEvent("2", lastEventID: ""),
                ExpectedEvent("3", lastEventID: ""),
            ]
        ),
        // last-event-id2.py, type=3 (ID_RESETS_2):
        Row(
            "format-field-id-3 (lastEventId resets, id without colon)",
            bytes("id: 1\ndata: 1\n\nid\ndata:2\n\ndata:3\n\n"),
            events: [
                ExpectedEvent("1", lastEventID: "1"),
                ExpectedEvent("2", lastEventID: ""),
                ExpectedEvent("3", lastEventID: ""),
            ]
        ),
    ] + nullIDValues.map { value in
        Row(
            "format-field-id-null (idvalue=\(value.label))",
            lastEventIDPy(idvalue: value.bytes),
            events: [ExpectedEvent("hello", lastEventID: "", retry: 200)],
            reconnectionTime: 200,
            lastEventID: ""
        )
    } + [
        Row(
            "format-field-parsing",
            messagePy(formatFieldParsingMessage, newline: false),
            events: [ExpectedEvent("\0\n 2\n1\n3\n\n4")]
        ),
        Row(
            "format-field-retry",
            messagePy("retry:03000\ndata:x"),
            events: [ExpectedEvent("x", retry: 3000)],
            reconnectionTime: 3000
        ),
        Row(
            "format-field-retry-bogus",
            messagePy("retry:3000\nretry:1000x\ndata:x"),
            events: [ExpectedEvent("x", retry: 3000)],
            reconnectionTime: 3000
        ),
        Row(
            "format-field-retry-empty",
            messagePy("retry\ndata:test"),
            events: [ExpectedEvent("test", retry: nil)],
            reconnectionTime: nil
        ),
        Row(
            "format-field-unknown",
            messagePy("data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test"),
            events: [ExpectedEvent("test\n\ntest")]
        ),
        Row(
            "format-leading-space",
            messagePy("data:\ttest\rdata: \ndata:test"),
            events: [ExpectedEvent("\ttest\n\ntest")]
        ),
        Row(
            "format-newlines",
            messagePy("data:test\r\ndata\ndata:test\r\n\r", newline: false),
            events: [ExpectedEvent("test\n\ntest")]
        ),
        Row(
            "format-null-character",
            messagePy("data:\0\n\n"),
            events: [ExpectedEvent("\0")]
        ),
        // The body part only: the `charset=windows-1252` parameter is the client's to ignore.
        Row(
            "format-utf-8",
            messagePy("data:ok…"),
            events: [ExpectedEvent("ok…")]
        ),
        // One loop of resources/message2.py, split exactly as its writes.
        Row(
            "event-data",
            chunks: [
                "data:msg", "\n", "data:msg", "\n\n", ":", "\n", "falsefield:msg", "\n\n",
                "falsefield:msg", "\n", "Data:data", "\n\n", "data", "\n\n", "data:end", "\n\n",
            ].map(bytes),
            events: [ExpectedEvent("msg\nmsg"), ExpectedEvent(""), ExpectedEvent("end")]
        ),
    ]

    /// STYLE.md §4: where mattt/EventSource 1.1.1 departs from WHATWG. Each row holds the WHATWG result.
    static let eventSourceDeviationRows: [Row] = [
        Row(
            "eventsource-1.1.1-A leading empty data line kept",
            bytes("data:\ndata:x\n\n"),
            events: [ExpectedEvent("\nx")]
        ),
        Row(
            "eventsource-1.1.1-B two bare data lines make one LF",
            bytes("data\ndata\n\n"),
            events: [ExpectedEvent("\n")]
        ),
        Row(
            "eventsource-1.1.1-C event-only block dispatches nothing",
            bytes("event: foo\n\n"),
            events: []
        ),
        Row(
            "eventsource-1.1.1-D id-only block dispatches nothing but sets the last event ID",
            bytes("id: 7\n\n"),
            events: [],
            lastEventID: "7"
        ),
        Row(
            "eventsource-1.1.1-E retry 0 is a valid reconnection time",
            bytes("retry: 0\n\n"),
            events: [],
            reconnectionTime: 0
        ),
        Row(
            "eventsource-1.1.1-F retry +5 is ignored",
            bytes("retry: +5\n\n"),
            events: [],
            reconnectionTime: nil
        ),
        Row(
            "eventsource-1.1.1-G unterminated final block is not dispatched",
            bytes("data:a\n\ndata:b"),
            events: [ExpectedEvent("a", byteRange: 0...7)],
            end: .midEvent(heldData: true, byteRange: 8...13)
        ),
        Row(
            "eventsource-1.1.1-H CR at EOF ends a line, not the event",
            bytes("data:a\r"),
            events: [],
            end: .midEvent(heldData: true, byteRange: 0...6)
        ),
        Row(
            "eventsource-1.1.1-I id of the undispatched final block is not committed",
            bytes("data:a\n\nid:z\ndata:b"),
            events: [ExpectedEvent("a", lastEventID: "")],
            lastEventID: "",
            end: .midEvent(heldData: true, byteRange: 8...18)
        ),
        Row(
            "eventsource-1.1.1-J BOM after the stream start is not stripped",
            bytes("data:1\n\n\u{FEFF}data:2\n\n"),
            events: [ExpectedEvent("1")]
        ),
    ]

    /// Chunk splits, BOM, UTF-8, field edges and byte offsets.
    static let wireEdgeRows: [Row] = [
        // Line ends split across chunks.
        Row(
            "CR ending a chunk and LF starting the next are one line end",
            chunks: [bytes("data:a\r"), bytes("\ndata:b\r\n\r\n")],
            events: [ExpectedEvent("a\nb", byteRange: 0...16)]
        ),
        Row(
            "CR ending a chunk and LF starting the next are one blank line",
            chunks: [bytes("data:a\r\n\r"), bytes("\ndata:b\r\n\r\n")],
            events: [ExpectedEvent("a", byteRange: 0...8), ExpectedEvent("b", byteRange: 10...18)]
        ),

        // The byte order mark.
        Row(
            "A BOM split EF | BB BF is stripped exactly once",
            chunks: [[0xEF], [0xBB, 0xBF] + bytes("data:1\n\n")],
            events: [ExpectedEvent("1", byteRange: 3...10)]
        ),
        Row(
            "A second BOM after a split first one is text: U+FEFF data is an unknown field",
            chunks: [[0xEF], [0xBB, 0xBF, 0xEF, 0xBB], [0xBF] + bytes("data:1\n\ndata:2\n\n")],
            events: [ExpectedEvent("2", byteRange: 14...21)]
        ),
        Row(
            "EF BB 41 is not a BOM: the bytes are text (U+FFFD A) and start the first block",
            [0xEF, 0xBB, 0x41] + bytes("\ndata:x\n\n"),
            events: [ExpectedEvent("x", byteRange: 0...11)]
        ),
        Row(
            "EF BB then data:x is not a BOM: the field name is U+FFFD data, which is unknown",
            [0xEF, 0xBB] + bytes("data:x\n\ndata:y\n\n"),
            events: [ExpectedEvent("y", byteRange: 10...17)]
        ),
        Row(
            "A stream of only EF BB ends inside a block of text",
            [0xEF, 0xBB],
            events: [],
            end: .midEvent(heldData: false, byteRange: 0...1)
        ),
        Row(
            "A stream of only a BOM is empty and ends cleanly",
            byteOrderMark,
            events: []
        ),

        // UTF-8 decoding.
        Row(
            "Invalid UTF-8 in data becomes U+FFFD, one per maximal subpart",
            bytes("data:ok") + [0xE2, 0x80] + bytes("\ndata:") + [0xFF, 0xFE] + bytes("z\ndata:")
                + [0xC3] + bytes("(\ndata:") + [0xED, 0xA0, 0x80] + bytes("\n\n"),
            events: [ExpectedEvent("ok\u{FFFD}\n\u{FFFD}\u{FFFD}z\n\u{FFFD}(\n\u{FFFD}\u{FFFD}\u{FFFD}")]
        ),
        Row(
            "Invalid UTF-8 in an event type and an id becomes U+FFFD",
            bytes("event:") + [0xC0] + bytes("t\nid:") + [0xFF] + bytes("\ndata:x\n\n"),
            events: [ExpectedEvent("x", type: "\u{FFFD}t", lastEventID: "\u{FFFD}")],
            lastEventID: "\u{FFFD}"
        ),

        // Field names.
        Row(
            "Field names are case-sensitive and start the line: Data and ' data' are ignored",
            bytes("Data:x\n data:y\ndata:z\n\n"),
            events: [ExpectedEvent("z")]
        ),

        // id.
        Row(
            "An empty id: resets the last event ID",
            bytes("id:1\ndata:a\n\nid:\ndata:b\n\n"),
            events: [ExpectedEvent("a", lastEventID: "1"), ExpectedEvent("b", lastEventID: "")]
        ),
        Row(
            "A bare id line resets the last event ID",
            bytes("id:1\ndata:a\n\nid\ndata:b\n\n"),
            events: [ExpectedEvent("a", lastEventID: "1"), ExpectedEvent("b", lastEventID: "")]
        ),
        Row(
            "An id containing U+0000 is ignored and the previous ID stays",
            bytes("id:1\ndata:a\n\nid:2\0\ndata:b\n\n"),
            events: [ExpectedEvent("a", lastEventID: "1"), ExpectedEvent("b", lastEventID: "1")],
            lastEventID: "1"
        ),

        // retry.
        Row(
            "retry with leading zeros is read as decimal",
            bytes("retry:000250\ndata:x\n\n"),
            events: [ExpectedEvent("x", retry: 250)],
            reconnectionTime: 250
        ),
        Row(
            "retry:+5 is ignored",
            bytes("retry:+5\ndata:x\n\n"),
            events: [ExpectedEvent("x", retry: nil)],
            reconnectionTime: nil
        ),
        Row(
            "retry: 0 sets the reconnection time to 0",
            bytes("retry: 0\ndata:x\n\n"),
            events: [ExpectedEvent("x", retry: 0)],
            reconnectionTime: 0
        ),
        Row(
            "An empty retry: is ignored and keeps the previous reconnection time",
            bytes("retry:100\ndata:a\n\nretry:\ndata:b\n\n"),
            events: [ExpectedEvent("a", retry: 100), ExpectedEvent("b", retry: nil)],
            reconnectionTime: 100
        ),
        Row(
            "A retry in a block that dispatches nothing is reported on the next event",
            bytes("retry:5\n\ndata:x\n\n"),
            events: [ExpectedEvent("x", retry: 5)],
            reconnectionTime: 5
        ),

        // event.
        Row(
            "The last event field in a block wins",
            bytes("event:a\nevent:b\ndata:x\n\n"),
            events: [ExpectedEvent("x", type: "b")]
        ),
        Row(
            "An event-only block dispatches nothing and its type does not leak into the next block",
            bytes("event:ping\n\ndata:x\n\n"),
            events: [ExpectedEvent("x", type: "message", byteRange: 12...19)]
        ),

        // Byte offsets: first byte of the block ... first line-end byte of the dispatching blank line.
        Row(
            "Byte offsets with LF terminators, a comment opening the second block",
            bytes("data:a\n\n:c\ndata:b\n\n"),
            events: [ExpectedEvent("a", byteRange: 0...7), ExpectedEvent("b", byteRange: 8...18)]
        ),
        Row(
            "Byte offsets count a leading BOM",
            byteOrderMark + bytes("data:a\n\ndata:b\n\n"),
            events: [ExpectedEvent("a", byteRange: 3...10), ExpectedEvent("b", byteRange: 11...18)]
        ),
        Row(
            "Byte offsets with CRLF terminators end at the blank line's CR",
            bytes("data:a\r\n\r\ndata:b\r\n\r\n"),
            events: [ExpectedEvent("a", byteRange: 0...8), ExpectedEvent("b", byteRange: 10...18)]
        ),
        Row(
            "Byte offsets after a BOM and a leading blank CRLF line",
            byteOrderMark + bytes("\r\nid:1\r\ndata:a\r\n\r\n"),
            events: [ExpectedEvent("a", lastEventID: "1", byteRange: 5...19)],
            lastEventID: "1"
        ),
        Row(
            "Byte offsets with CR terminators",
            bytes("data:a\r\rdata:b\r\r"),
            events: [ExpectedEvent("a", byteRange: 0...7), ExpectedEvent("b", byteRange: 8...15)]
        ),
        Row(
            "Byte offsets of an unterminated final block after a BOM",
            byteOrderMark + bytes("data:a\n\ndata:b"),
            events: [ExpectedEvent("a", byteRange: 3...10)],
            end: .midEvent(heldData: true, byteRange: 11...16)
        ),
    ]
}

// MARK: - Running a row

extension WHATWGFormatTests {
    /// What the parser shows after a feeding. Equality covers everything but the byte counters.
    struct Run: Equatable, CustomStringConvertible {
        var events: [SSEEvent] = []
        var reconnectionTime: Int?
        var lastEventID = ""
        var oversizedEventsDropped = 0
        var end = SSEStreamEnd.clean
        var bytesConsumed = 0
        var bytesExamined = 0

        /// Feeds `chunks` in order, then finishes, reading the parser's state just before `finish()`.
        init<Chunks: Sequence>(feeding chunks: Chunks, limits: SSEParser.Limits = .default)
        where Chunks.Element: Collection, Chunks.Element.Element == UInt8 {
            var parser = SSEParser(limits: limits)
            for chunk in chunks {
                events += parser.feed(chunk)
            }
            reconnectionTime = parser.reconnectionTime
            lastEventID = parser.lastEventID
            oversizedEventsDropped = parser.oversizedEventsDropped
            bytesConsumed = parser.bytesConsumed
            bytesExamined = parser.bytesExamined
            end = parser.finish()
        }

        /// The whole input as one chunk.
        init(whole bytes: [UInt8], limits: SSEParser.Limits = .default) {
            self.init(feeding: CollectionOfOne(bytes), limits: limits)
        }

        /// The input one byte per chunk.
        init(bytewise bytes: [UInt8], limits: SSEParser.Limits = .default) {
            self.init(feeding: bytes.indices.lazy.map { bytes[$0...$0] }, limits: limits)
        }

        static func == (a: Run, b: Run) -> Bool {
            a.events == b.events && a.reconnectionTime == b.reconnectionTime && a.lastEventID == b.lastEventID
                && a.oversizedEventsDropped == b.oversizedEventsDropped && a.end == b.end
        }

        /// Each byte is scanned once and each dispatched data byte decoded once; a held-back BOM
        /// prefix (at most two bytes) may be scanned a second time.
        var examinedWithinBound: Bool { bytesExamined <= 2 * bytesConsumed + 2 }

        var description: String {
            let list = events.map { event in
                "\(event.type.debugDescription) data=\(event.data.debugDescription) id=\(event.lastEventID.debugDescription) retry=\(event.retry.map(String.init) ?? "nil") bytes=\(event.byteRange)"
            }
            return "events=\(list) reconnectionTime=\(reconnectionTime.map(String.init) ?? "nil") lastEventID=\(lastEventID.debugDescription) dropped=\(oversizedEventsDropped) end=\(end)"
        }
    }

    /// The events as `ExpectedEvent`s, keeping a byte range only where the expectation gives one.
    static func summaries(of events: [SSEEvent], like expected: [ExpectedEvent]) -> [ExpectedEvent] {
        events.enumerated().map { index, event in
            let checkRange = index < expected.count && expected[index].byteRange != nil
            return ExpectedEvent(
                event.data,
                type: event.type,
                lastEventID: event.lastEventID,
                retry: event.retry,
                byteRange: checkRange ? event.byteRange : nil
            )
        }
    }

    static func summary(of end: SSEStreamEnd, like expected: ExpectedEnd) -> ExpectedEnd {
        switch end {
        case .clean:
            return .clean
        case .midEvent(let block):
            if case .midEvent(_, .some) = expected {
                return .midEvent(heldData: block.heldData, byteRange: block.byteRange)
            }
            return .midEvent(heldData: block.heldData)
        }
    }

    /// Checks a row fed whole, one byte at a time, through `parse`, and as its own chunks.
    static func expectConforms(_ row: Row, sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = Run(whole: row.input)
        #expect(summaries(of: whole.events, like: row.events) == row.events, "events", sourceLocation: sourceLocation)
        #expect(whole.reconnectionTime == row.reconnectionTime, "reconnectionTime", sourceLocation: sourceLocation)
        #expect(whole.lastEventID == row.lastEventID, "lastEventID", sourceLocation: sourceLocation)
        #expect(summary(of: whole.end, like: row.end) == row.end, "stream end", sourceLocation: sourceLocation)
        #expect(whole.examinedWithinBound, "bytesExamined \(whole.bytesExamined) for \(whole.bytesConsumed) bytes", sourceLocation: sourceLocation)

        let bytewise = Run(bytewise: row.input)
        #expect(bytewise == whole, "fed one byte at a time, the parser disagrees with feeding it whole", sourceLocation: sourceLocation)
        #expect(bytewise.examinedWithinBound, "bytesExamined \(bytewise.bytesExamined) for \(bytewise.bytesConsumed) bytes, one byte at a time", sourceLocation: sourceLocation)

        let parsed = SSEParser.parse(row.input)
        #expect(parsed.events == whole.events && parsed.end == whole.end, "SSEParser.parse disagrees with feed", sourceLocation: sourceLocation)

        if let chunks = row.chunks {
            let split = Run(feeding: chunks)
            #expect(split == whole, "fed as the row's \(chunks.count) chunks, the parser disagrees with feeding it whole", sourceLocation: sourceLocation)
        }
    }

}

// MARK: - Tests

@Suite("WHATWG event-stream format (HTML §9.2.6)")
struct WHATWGFormatTests {
    @Test("Each WPT eventsource/format-* body parses as WHATWG says, however it is split", arguments: WHATWGFormatTests.wptFormatRows)
    func webPlatformTestsFormat(_ row: Row) {
        Self.expectConforms(row)
    }

    @Test("Where EventSource 1.1.1 deviates (STYLE §4 A–J), the parser follows WHATWG", arguments: WHATWGFormatTests.eventSourceDeviationRows)
    func eventSourceDeviations(_ row: Row) {
        Self.expectConforms(row)
    }

    @Test("Chunk splits, the BOM, UTF-8, field edges and byte offsets follow WHATWG", arguments: WHATWGFormatTests.wireEdgeRows)
    func wireEdges(_ row: Row) {
        Self.expectConforms(row)
    }

    @Test("Every table row has a unique name")
    func rowNamesAreUnique() {
        let names = (Self.wptFormatRows + Self.eventSourceDeviationRows + Self.wireEdgeRows).map(\.name)
        #expect(Set(names).count == names.count)
    }
}
