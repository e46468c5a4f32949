import SSEWire

/// One event of the input stream, as the parser found it.
struct StreamEvent {
    /// The block's first byte.
    var start: Int
    /// The first byte of the blank line's line end (the parser's `byteRange.upperBound`).
    var terminatorStart: Int
    /// Just past the blank line's line end (CRLF included).
    var end: Int
    /// The `event` field, or the JSON `"type"` of the data when there is none.
    var kind: String
    /// Whether the block had a non-empty `event` field.
    var hasEventField: Bool

    /// Partial-image events of every surface: `image_generation.partial_image`,
    /// `image_edit.partial_image`, `response.image_generation_call.partial_image`.
    var isPartial: Bool { kind.hasSuffix("partial_image") }
}

/// Rebuilds an event stream from slices of its original bytes plus made-up blocks, applying
/// the scenario's line-ending rewrite, heartbeats and event-level faults.
///
/// The input is parsed once with ``SSEParser``; each event keeps its exact bytes (comments and
/// `id`/`retry` lines of its block included, from ``SSERecording/bytes(of:)``). Whatever lies
/// between events (comments, blocks without data, a final unterminated block) stays where it
/// was, as separate items. The output copies each kept byte of the input once.
struct StreamRewrite {
    /// A piece of the output: a range of the input, or new bytes.
    enum Piece {
        case original(Range<Int>)
        case literal([UInt8])
    }

    /// An event (content, then its blank-line terminator) or the bytes between events.
    struct Item {
        var content: [Piece]
        var terminator: [Piece] = []
        var isEvent: Bool
        /// The event's index in the input stream; nil for made-up events and non-events.
        var originalIndex: Int?
    }

    let input: [UInt8]
    let events: [StreamEvent]
    let surface: String
    let scenario: Scenario
    /// The line end used for made-up lines: the scenario's rewrite target, else the stream's
    /// own (its first line end), else LF.
    let lineEnd: [UInt8]

    init(input: [UInt8], surface: String, scenario: Scenario) {
        self.input = input
        self.events = Self.parseEvents(input)
        self.surface = surface
        self.scenario = scenario
        self.lineEnd = (scenario.lineEnding ?? ByteScan.firstLineEnding(in: input) ?? .lf).bytes
    }

    /// Every dispatched event of `bytes`, with its exact byte span.
    static func parseEvents(_ bytes: [UInt8]) -> [StreamEvent] {
        let parsed = SSEParser.parse(bytes).events
        let recording = SSERecording(bytes: bytes)
        return bytes.withUnsafeBufferPointer { buffer in
            parsed.map { event in
                let start = event.byteRange.lowerBound
                let terminatorStart = event.byteRange.upperBound
                var kind = event.eventField
                if kind.isEmpty {
                    kind = ByteScan.firstStringValue(forKey: "type", in: buffer, range: start..<terminatorStart)
                        .map { String(decoding: UnsafeBufferPointer(rebasing: buffer[$0]), as: UTF8.self) } ?? "message"
                }
                return StreamEvent(start: start, terminatorStart: terminatorStart, end: recording.bytes(of: event).endIndex, kind: kind, hasEventField: !event.eventField.isEmpty)
            }
        }
    }

    /// The offsets just past each event's blank line, for an input that is not rewritten.
    static func eventEnds(of bytes: [UInt8]) -> [Int] {
        parseEvents(bytes).map(\.end)
    }

    /// The rewritten body, and the offset just past each delivered event's blank line.
    func run() -> (body: [UInt8], eventEnds: [Int]) {
        var items = initialItems()
        applyEventFaults(to: &items)
        return write(items)
    }

    private func initialItems() -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(events.count * 2 + 1)
        var position = 0
        for (index, event) in events.enumerated() {
            if event.start > position {
                items.append(Item(content: [.original(position..<event.start)], isEvent: false))
            }
            items.append(Item(
                content: [.original(event.start..<event.terminatorStart)],
                terminator: [.original(event.terminatorStart..<event.end)],
                isEvent: true,
                originalIndex: index
            ))
            position = event.end
        }
        if position < input.count {
            items.append(Item(content: [.original(position..<input.count)], isEvent: false))
        }
        return items
    }

    /// The event-level faults, always in this order whatever order they are listed in:
    /// fewer-partials, drop-final, truncate-final-image, swaps, duplicates, pings, then the
    /// error event. Indices name events of the input stream. A swap or duplicate of an event
    /// no longer present does nothing; a ping or error event "after event K" goes after the
    /// last copy of K, or, when K is gone or past the end, after the last earlier event still
    /// present (else before the first event).
    private func applyEventFaults(to items: inout [Item]) {
        let faults = scenario.faults

        // Keep the first N partial images (the smallest N when several are given).
        if let keep = faults.compactMap({ if case .fewerPartials(let n) = $0 { n } else { nil } }).min() {
            var seen = 0
            items.removeAll { item in
                guard item.isEvent, let index = item.originalIndex, events[index].isPartial else { return false }
                seen += 1
                return seen > keep
            }
        }

        // Drop the final event (once, however often it is listed).
        if faults.contains(.dropFinalEvent), let last = items.lastIndex(where: \.isEvent) {
            items.remove(at: last)
        }

        if faults.contains(.truncateFinalImage) {
            input.withUnsafeBufferPointer { buffer in
                for position in items.indices {
                    guard items[position].isEvent, let index = items[position].originalIndex, !events[index].isPartial else { continue }
                    items[position].content = truncatedImageContent(of: events[index], in: buffer)
                }
            }
        }

        for fault in faults {
            guard case .swapEvents(let first, let second) = fault,
                  let a = items.firstIndex(where: { $0.isEvent && $0.originalIndex == first }),
                  let b = items.firstIndex(where: { $0.isEvent && $0.originalIndex == second }) else { continue }
            items.swapAt(a, b)
        }

        for fault in faults {
            guard case .duplicateEvent(let index) = fault,
                  let position = items.lastIndex(where: { $0.isEvent && $0.originalIndex == index }) else { continue }
            items.insert(items[position], at: position + 1)
        }

        for fault in faults {
            guard case .pingEvent(let index) = fault else { continue }
            items.insert(Item(content: [.literal(InjectedBodies.pingBlock(lineEnd: lineEnd))], isEvent: false), at: insertionPoint(after: index, in: items))
        }

        for fault in faults {
            guard case .errorEvent(let shape, let index) = fault else { continue }
            let position = insertionPoint(after: index, in: items)
            items.removeSubrange(position...)
            items.append(contentsOf: injectedErrorItems(shape: shape, kept: items))
            break // only the first listed error event: the stream ends there
        }
    }

    /// Where something "after event `index`" of the input goes.
    private func insertionPoint(after index: Int, in items: [Item]) -> Int {
        if let position = items.lastIndex(where: { $0.isEvent && $0.originalIndex == index }) {
            return position + 1
        }
        if let position = items.lastIndex(where: { $0.isEvent && ($0.originalIndex ?? .max) < index }) {
            return position + 1
        }
        return items.firstIndex(where: \.isEvent) ?? items.count
    }

    /// The error event, then `response.failed` on the Responses surface. `event:` lines are
    /// written when the input's events have them (OpenAI's streams do; some gateways' do not).
    /// On `responses` the sequence numbers continue after the largest `sequence_number` in the
    /// kept events (or their count when none has one); image surfaces have none. The
    /// `response.failed` reuses the id of the input's `response.created` response, found by a
    /// plain search for its first `"id"`, else `resp_tapedeck`.
    private func injectedErrorItems(shape: ErrorShape, kept: [Item]) -> [Item] {
        let isResponses = surface == "responses"
        let writesEventLines = events.isEmpty || events.contains(where: \.hasEventField)
        var sequenceNumber: Int? = nil
        var responseID = InjectedBodies.defaultResponseID
        if isResponses {
            input.withUnsafeBufferPointer { buffer in
                var largest: Int? = nil
                var keptEvents = 0
                for item in kept where item.isEvent {
                    keptEvents += 1
                    guard let index = item.originalIndex else { continue }
                    let event = events[index]
                    if let number = ByteScan.firstIntegerValue(forKey: "sequence_number", in: buffer, range: event.start..<event.terminatorStart) {
                        largest = max(largest ?? number, number)
                    }
                }
                sequenceNumber = largest.map { $0 + 1 } ?? keptEvents
                if let created = events.first(where: { $0.kind == "response.created" }),
                   let id = ByteScan.firstStringValue(forKey: "id", in: buffer, range: created.start..<created.terminatorStart), !id.isEmpty {
                    responseID = String(decoding: UnsafeBufferPointer(rebasing: buffer[id]), as: UTF8.self)
                }
            }
        }
        var items: [Item] = []
        let error = InjectedBodies.eventBlock(
            name: writesEventLines ? "error" : nil,
            data: InjectedBodies.errorEventData(shape: shape, sequenceNumber: sequenceNumber),
            lineEnd: lineEnd
        )
        items.append(Item(content: [.literal(error.content)], terminator: [.literal(error.terminator)], isEvent: true))
        if isResponses {
            let failed = InjectedBodies.eventBlock(
                name: writesEventLines ? "response.failed" : nil,
                data: InjectedBodies.responseFailedData(responseID: responseID, sequenceNumber: sequenceNumber.map { $0 + 1 }),
                lineEnd: lineEnd
            )
            items.append(Item(content: [.literal(failed.content)], terminator: [.literal(failed.terminator)], isEvent: true))
        }
        return items
    }

    /// The event's block with every final-image value (`"b64_json"` and `"result"` strings)
    /// cut to about half: the decoded length halved and rounded down to a multiple of 4, at
    /// a character boundary of the JSON string (escapes such as `\/` are never split). The
    /// closing quote and all that follows stay, so the JSON stays valid.
    private func truncatedImageContent(of event: StreamEvent, in buffer: UnsafeBufferPointer<UInt8>) -> [Piece] {
        let range = event.start..<event.terminatorStart
        let values = (ByteScan.stringValues(forKey: "b64_json", in: buffer, range: range)
            + ByteScan.stringValues(forKey: "result", in: buffer, range: range)).sorted { $0.lowerBound < $1.lowerBound }
        var pieces: [Piece] = []
        var position = event.start
        for value in values where value.lowerBound >= position {
            let cut = Self.truncationPoint(of: value, in: buffer)
            guard cut < value.upperBound else { continue }
            pieces.append(.original(position..<cut))
            position = value.upperBound
        }
        pieces.append(.original(position..<event.terminatorStart))
        return pieces
    }

    /// The raw offset in the JSON string `value` where its decoded text reaches half its
    /// length, rounded down to a multiple of 4.
    static func truncationPoint(of value: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        /// Calls `escape(index, length)` for each escape in order, jumping over plain runs.
        func escapes(_ escape: (Int, Int) -> Bool) {
            var index = value.lowerBound
            while index < value.upperBound {
                index = ByteScan.firstIndex(ofAny: [ByteScan.backslash], in: buffer, from: index, to: value.upperBound)
                guard index < value.upperBound else { return }
                let length = index + 1 < value.upperBound && buffer[index + 1] == 0x75 ? 6 : 2 // \uXXXX or \x
                guard escape(index, length) else { return }
                index += length
            }
        }
        // Decoded length: raw length minus what escapes add beyond their one character.
        var decoded = value.count
        escapes { _, length in decoded -= length - 1; return true }
        let target = (decoded / 2) & ~3
        // Walk to the raw offset of the `target`th decoded character.
        var cut = value.lowerBound + target
        escapes { index, length in
            guard index < cut else { return false }
            cut += length - 1
            return true
        }
        return Swift.min(cut, value.upperBound)
    }

    /// Writes the items: a BOM first when asked for (and not already there), a heartbeat
    /// comment line before every Nth event, an `id: N` line as the last line of every event
    /// block (after any `id` of its own, so it wins), and every line end rewritten when asked.
    private func write(_ items: [Item]) -> (body: [UInt8], eventEnds: [Int]) {
        var writer = LineEndWriter(target: scenario.lineEnding?.bytes)
        writer.output.reserveCapacity(input.count + input.count / 8 + 256)
        if scenario.faults.contains(.leadingBOM), !input.starts(with: ByteScan.byteOrderMark) {
            writer.output += ByteScan.byteOrderMark
        }
        let heartbeatEvery = scenario.heartbeatEvery.flatMap { $0 > 0 ? $0 : nil }
        let writesIDs = scenario.faults.contains(.idLines)
        var eventEnds: [Int] = []
        input.withUnsafeBufferPointer { buffer in
            func write(_ pieces: [Piece]) {
                for piece in pieces {
                    switch piece {
                    case .original(let range): writer.write(UnsafeBufferPointer(rebasing: buffer[range]))
                    case .literal(let bytes): bytes.withUnsafeBufferPointer { writer.write($0) }
                    }
                }
            }
            for item in items {
                guard item.isEvent else {
                    write(item.content)
                    continue
                }
                let number = eventEnds.count
                if let heartbeatEvery, (number + 1) % heartbeatEvery == 0 {
                    write([.literal(InjectedBodies.heartbeatLine(lineEnd: lineEnd))])
                }
                write(item.content)
                if writesIDs { write([.literal(InjectedBodies.idLine(number, lineEnd: lineEnd))]) }
                write(item.terminator)
                eventEnds.append(writer.output.count)
            }
        }
        return (writer.output, eventEnds)
    }
}

/// Appends bytes, turning every CR, LF and CRLF line end into `target` (or leaving them when
/// `target` is nil). A CRLF split across two writes is still one line end.
struct LineEndWriter {
    var output: [UInt8] = []
    let target: [UInt8]?
    private var afterCarriageReturn = false

    init(target: [UInt8]?) {
        self.target = target
    }

    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let target else {
            output.append(contentsOf: bytes)
            return
        }
        var index = 0
        while index < bytes.count {
            let end = ByteScan.firstLineEnd(in: bytes, from: index)
            if end > index {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                afterCarriageReturn = false
            }
            guard end < bytes.count else { return }
            if bytes[end] == ByteScan.lineFeed {
                if !afterCarriageReturn { output += target }
                afterCarriageReturn = false
            } else {
                output += target
                afterCarriageReturn = true
            }
            index = end + 1
        }
    }
}
