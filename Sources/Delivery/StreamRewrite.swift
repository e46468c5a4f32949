import ImageStreamSpec
import SSEWire

/// Rebuilds an event stream (or a JSON body) from slices of its original bytes plus made-up
/// pieces, applying the scenario's image sizing, shape, line-ending rewrite, heartbeats and
/// event-level faults.
///
/// The input is parsed once with ``SSEParser``; each event keeps its exact bytes (comments and
/// `id`/`retry` lines of its block included), and its data's JSON objects are located once
/// (``JSONObjects``), so a value can be replaced by range. Whatever lies between events
/// (comments, blocks without data, a final unterminated block) stays where it was, as separate
/// items. The output copies each kept byte of the input once; a full-size image is a slice of
/// the image source's buffer until it is written.
struct StreamRewrite {
    /// A piece of the output: a range of the input, or new bytes.
    enum Piece {
        case original(Range<Int>)
        case literal(ArraySlice<UInt8>)

        static func text(_ text: String) -> Piece { .literal(ArraySlice(text.utf8)) }

        var count: Int {
            switch self {
            case .original(let range): range.count
            case .literal(let bytes): bytes.count
            }
        }
    }

    /// An event (content, then its blank-line terminator) or the bytes between events.
    struct Item {
        /// The input event it is, or nil for made-up events and the bytes between events.
        var source: Int?
        var isEvent: Bool
        var kind: String
        /// The content of a made-up item, or of the bytes between events.
        var made: [Piece] = []
        /// Replacements inside the source event's content, by the range they replace.
        var edits: [Range<Int>: [Piece]] = [:]
        var terminator: [Piece] = []
        /// Its number in the stream the faults name (after the shape, before any fault).
        var index: Int?
        /// The `sequence_number` it carries, when it carries one.
        var sequenceNumber: Int?
        /// Where a made-up event's sequence number goes in `made`.
        var sequenceSlot: Int?

        var isPartial: Bool { kind.hasSuffix("partial_image") }
    }

    let input: [UInt8]
    let events: [StreamEvent]
    let surface: String
    let scenario: Scenario
    let liveShape: LiveShapeSpec?
    let images: (any FullSizeImageSource)?
    /// The line end used for made-up lines: the scenario's rewrite target, else the stream's
    /// own (its first line end), else LF.
    let lineEnd: [UInt8]

    init(input: [UInt8], surface: String, scenario: Scenario, liveShape: LiveShapeSpec? = nil, images: (any FullSizeImageSource)? = nil) {
        self.input = input
        self.events = StreamEvent.parse(input)
        self.surface = surface
        self.scenario = scenario
        self.liveShape = liveShape
        self.images = images
        self.lineEnd = (scenario.lineEnding ?? ByteScan.firstLineEnding(in: input) ?? .lf).bytes
    }

    /// The offsets just past each event's blank line, for an input that is not rewritten.
    static func eventEnds(of bytes: [UInt8]) -> [Int] {
        StreamEvent.parse(bytes).map(\.end)
    }

    /// The rewritten body, the offset just past each delivered event's blank line, and the
    /// waits `silence` faults put before bytes of it.
    func run() -> (body: [UInt8], eventEnds: [Int], silences: [(offset: Int, delay: Duration)]) {
        var items = initialItems()
        if scenario.images == .fullSize, let images {
            input.withUnsafeBufferPointer { replaceImages(in: &items, source: images, buffer: $0) }
        }
        if scenario.shape == .live, let liveShape {
            input.withUnsafeBufferPointer { applyLiveShape(liveShape, to: &items, buffer: $0) }
        }
        var number = 0
        for position in items.indices where items[position].isEvent {
            items[position].index = number
            number += 1
        }
        applyEventFaults(to: &items, eventCount: number)
        return write(items)
    }

    /// A JSON body with every image replaced by its full-size image (`images=full-size` on a
    /// body that is not an event stream).
    static func fullSizeBody(_ body: [UInt8], images: any FullSizeImageSource) -> [UInt8] {
        body.withUnsafeBufferPointer { buffer in
            let json = JSONObjects(buffer, range: 0..<buffer.count)
            let event = StreamEvent(start: 0, terminatorStart: buffer.count, end: buffer.count, kind: "body", hasEventField: false, isDone: false, json: json)
            let rewrite = StreamRewrite(events: [event], input: body)
            var items = [Item(source: 0, isEvent: true, kind: "body")]
            rewrite.replaceImages(in: &items, source: images, buffer: buffer)
            var output: [UInt8] = []
            output.reserveCapacity(rewrite.content(of: items[0]).reduce(0) { $0 + $1.count })
            for piece in rewrite.content(of: items[0]) {
                switch piece {
                case .original(let range): output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[range]))
                case .literal(let bytes): output.append(contentsOf: bytes)
                }
            }
            return output
        }
    }

    private init(events: [StreamEvent], input: [UInt8]) {
        self.input = input
        self.events = events
        self.surface = ""
        self.scenario = Scenario()
        self.liveShape = nil
        self.images = nil
        self.lineEnd = [ByteScan.lineFeed]
    }

    private func initialItems() -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(events.count * 2 + 1)
        var position = 0
        input.withUnsafeBufferPointer { buffer in
            for (index, event) in events.enumerated() {
                if event.start > position {
                    items.append(Item(source: nil, isEvent: false, kind: "", made: [.original(position..<event.start)]))
                }
                let sequence = event.top?.value("sequence_number").flatMap { Self.integer(in: buffer, $0) }
                items.append(Item(source: index, isEvent: true, kind: event.kind, terminator: [.original(event.terminatorStart..<event.end)], sequenceNumber: sequence))
                position = event.end
            }
        }
        if position < input.count {
            items.append(Item(source: nil, isEvent: false, kind: "", made: [.original(position..<input.count)]))
        }
        return items
    }

    /// An item's content: the source event's bytes with its edits, or what was made.
    func content(of item: Item) -> [Piece] {
        guard let source = item.source else { return item.made }
        let event = events[source]
        guard !item.edits.isEmpty else { return [.original(event.start..<event.terminatorStart)] }
        var pieces: [Piece] = []
        var position = event.start
        for (range, replacement) in item.edits.sorted(by: { $0.key.lowerBound < $1.key.lowerBound }) where range.lowerBound >= position {
            if range.lowerBound > position { pieces.append(.original(position..<range.lowerBound)) }
            pieces += replacement
            position = range.upperBound
        }
        if position < event.terminatorStart { pieces.append(.original(position..<event.terminatorStart)) }
        return pieces
    }

    // MARK: Full-size images

    /// Replaces every image payload by the source's full-size image; equal payloads share an
    /// ordinal, and so an image.
    private func replaceImages(in items: inout [Item], source: any FullSizeImageSource, buffer: UnsafeBufferPointer<UInt8>) {
        var ordinals: [Int: Int] = [:]
        for position in items.indices {
            guard let index = items[position].source else { continue }
            for image in events[index].images {
                let payload = UnsafeBufferPointer(rebasing: buffer[image.range])
                var hasher = Hasher()
                hasher.combine(bytes: UnsafeRawBufferPointer(payload))
                let key = hasher.finalize()
                let ordinal = ordinals[key] ?? ordinals.count
                ordinals[key] = ordinal
                if let replacement = source.fullSize(of: payload, ordinal: ordinal) {
                    items[position].edits[image.range] = [.literal(replacement)]
                }
            }
        }
    }

    // MARK: The live shape

    /// Makes a documented stream live: see ``LiveShapeSpec``.
    private func applyLiveShape(_ shape: LiveShapeSpec, to items: inout [Item], buffer: UnsafeBufferPointer<UInt8>) {
        let before = items.count
        items.removeAll { item in
            item.isEvent && (shape.omittedEventTypes.contains(item.kind) || (shape.dropsDoneSentinel && item.source.map { events[$0].isDone } == true))
        }
        var changed = items.count != before
        if let status = shape.finishedItemStatus {
            for position in items.indices {
                guard let source = items[position].source, let json = events[source].json else { continue }
                for object in json.objects where JSONObjects.string(object.value("type"), in: buffer) == shape.itemType {
                    guard let value = object.value("status"), JSONObjects.string(value, in: buffer) == "completed",
                          let contents = JSONObjects.stringContents(value, in: buffer) else { continue }
                    items[position].edits[contents] = [.text(status)]
                }
            }
        }
        if let insertion = shape.partialWhenNone {
            let withPartials = Set(items.compactMap { item -> String? in
                guard item.kind == insertion.eventType, let source = item.source else { return nil }
                return JSONObjects.string(events[source].top?.value("item_id"), in: buffer)
            })
            for position in items.indices.reversed() where items[position].kind == insertion.finishedEventType {
                guard let partial = madePartial(for: items[position], insertion, shape: shape, buffer: buffer, skipping: withPartials) else { continue }
                items.insert(partial, at: position)
                changed = true
            }
        }
        if changed { renumber(&items) }
    }

    /// The partial image the live API sends for a finished call that had none: the final
    /// image again, with the call's output_index, item_id and echoed settings.
    private func madePartial(for finished: Item, _ insertion: LiveShapeSpec.PartialInsertion, shape: LiveShapeSpec, buffer: UnsafeBufferPointer<UInt8>, skipping: Set<String>) -> Item? {
        guard let source = finished.source else { return nil }
        let event = events[source]
        guard let top = event.top, let item = event.object("item", in: top),
              JSONObjects.string(item.value("type"), in: buffer) == shape.itemType,
              let id = item.value("id"), let idText = JSONObjects.string(id, in: buffer), !skipping.contains(idText),
              let resultValue = item.value(insertion.resultField), let result = JSONObjects.stringContents(resultValue, in: buffer),
              !result.isEmpty else { return nil }
        var made: [Piece] = []
        if event.hasEventField { made.append(.literal(ArraySlice(Array("event: \(insertion.eventType)".utf8) + lineEnd))) }
        made.append(.text("data: {\"type\":\"\(insertion.eventType)\""))
        var slot: Int?
        if top.value("sequence_number") != nil {
            made.append(.text(",\"sequence_number\":"))
            slot = made.count
            made.append(.text("0"))
        }
        if let outputIndex = top.value("output_index") {
            made += [.text(",\"output_index\":"), .original(outputIndex)]
        }
        made += [.text(",\"item_id\":"), .original(id), .text(",\"partial_image_index\":0,\"\(insertion.imageField)\":\"")]
        made += finished.edits[result] ?? [.original(result)]
        made.append(.text("\""))
        for key in ["size", "quality", "background", "output_format"] {
            guard let value = item.value(key) else { continue }
            made += [.text(",\"\(key)\":"), .original(value)]
        }
        made.append(.literal(ArraySlice([0x7D] + lineEnd)))
        return Item(source: nil, isEvent: true, kind: insertion.eventType, made: made, terminator: [.literal(ArraySlice(lineEnd))], sequenceSlot: slot)
    }

    /// Numbers every event that carries a sequence number contiguously, from the first one's
    /// number: what a server that sent this stream would have written.
    private func renumber(_ items: inout [Item]) {
        guard var next = items.lazy.compactMap(\.sequenceNumber).first else { return }
        for position in items.indices where items[position].isEvent {
            if let slot = items[position].sequenceSlot {
                items[position].made[slot] = .text(String(next))
            } else if let source = items[position].source, items[position].sequenceNumber != nil,
                      let range = events[source].top?.value("sequence_number") {
                items[position].edits[range] = [.text(String(next))]
            } else {
                continue
            }
            items[position].sequenceNumber = next
            next += 1
        }
    }

    // MARK: Faults

    /// The event-level faults, always in this order whatever order they are listed in:
    /// fewer-partials, drop-final, truncate-final-image, swaps, duplicates, pings, then the
    /// error event (or response.failed). Indices name events of the stream before any fault
    /// (`eventCount` of them; a negative index counts from the end). A swap or duplicate of
    /// an event no longer present does nothing; a ping or error event "after event K" goes
    /// after the last copy of K, or, when K is gone or past the end, after the last earlier
    /// event still present (else before the first event).
    private func applyEventFaults(to items: inout [Item], eventCount: Int) {
        let faults = scenario.faults
        func resolve(_ index: Int) -> Int { index < 0 ? eventCount + index : index }

        // Keep the first N partial images (the smallest N when several are given), numbered
        // on as a server that sent fewer would number them.
        if let keep = faults.compactMap({ if case .fewerPartials(let n) = $0 { n } else { nil } }).min() {
            var seen = 0
            let before = items.count
            items.removeAll { item in
                guard item.isEvent, item.isPartial else { return false }
                seen += 1
                return seen > keep
            }
            if items.count != before { renumber(&items) }
        }

        // Drop the final event (once, however often it is listed).
        if faults.contains(.dropFinalEvent), let last = items.lastIndex(where: \.isEvent) {
            items.remove(at: last)
        }

        if faults.contains(.truncateFinalImage) {
            input.withUnsafeBufferPointer { buffer in
                for position in items.indices where items[position].isEvent && !items[position].isPartial {
                    guard let source = items[position].source else { continue }
                    for image in events[source].images where ImagePayloadKeys.finals.contains(image.key) {
                        let current = items[position].edits[image.range] ?? [.original(image.range)]
                        items[position].edits[image.range] = current.map { Self.truncated($0, in: buffer) }
                    }
                }
            }
        }

        for fault in faults {
            guard case .swapEvents(let first, let second) = fault,
                  let a = items.firstIndex(where: { $0.isEvent && $0.index == resolve(first) }),
                  let b = items.firstIndex(where: { $0.isEvent && $0.index == resolve(second) }) else { continue }
            items.swapAt(a, b)
        }

        for fault in faults {
            guard case .duplicateEvent(let index) = fault,
                  let position = items.lastIndex(where: { $0.isEvent && $0.index == resolve(index) }) else { continue }
            items.insert(items[position], at: position + 1)
        }

        for fault in faults {
            guard case .pingEvent(let index) = fault else { continue }
            items.insert(Item(source: nil, isEvent: false, kind: "", made: [.literal(ArraySlice(InjectedBodies.pingBlock(lineEnd: lineEnd)))]), at: insertionPoint(after: resolve(index), in: items))
        }

        for fault in faults {
            let ending: (position: Int, error: ErrorShape?)
            switch fault {
            case .errorEvent(let shape, let index): ending = (insertionPoint(after: resolve(index), in: items), shape)
            case .responseFailed(let index): ending = (insertionPoint(after: resolve(index), in: items), nil)
            default: continue
            }
            guard ending.error != nil || surface == "responses" else { continue }
            items.removeSubrange(ending.position...)
            items.append(contentsOf: injectedErrorItems(shape: ending.error, kept: items))
            break // only the first listed error: the stream ends there
        }
    }

    /// A payload piece cut to about half: the decoded length halved and rounded down to a
    /// multiple of 4, at a character boundary of the JSON string (escapes such as `\/` are
    /// never split). The closing quote and all that follows stay, so the JSON stays valid.
    private static func truncated(_ piece: Piece, in buffer: UnsafeBufferPointer<UInt8>) -> Piece {
        switch piece {
        case .original(let range): .original(range.lowerBound..<truncationPoint(of: range, in: buffer))
        case .literal(let bytes): .literal(bytes.prefix((bytes.count / 2) & ~3))
        }
    }

    /// Where something "after event `index`" goes.
    private func insertionPoint(after index: Int, in items: [Item]) -> Int {
        if let position = items.lastIndex(where: { $0.isEvent && $0.index == index }) {
            return position + 1
        }
        if let position = items.lastIndex(where: { $0.isEvent && ($0.index ?? .max) < index }) {
            return position + 1
        }
        return items.firstIndex(where: \.isEvent) ?? items.count
    }

    /// The error event (unless `shape` is nil), then `response.failed` on the Responses
    /// surface. `event:` lines are written when the input's events have them (OpenAI's streams
    /// do; some gateways' do not). On `responses` the sequence numbers continue after the
    /// largest `sequence_number` in the kept events (or their count when none has one); image
    /// surfaces have none. The `response.failed` reuses the id of the input's
    /// `response.created` response, else `resp_tapedeck`.
    private func injectedErrorItems(shape: ErrorShape?, kept: [Item]) -> [Item] {
        let isResponses = surface == "responses"
        let writesEventLines = events.isEmpty || events.contains(where: \.hasEventField)
        var sequenceNumber: Int? = nil
        var responseID = InjectedBodies.defaultResponseID
        if isResponses {
            let keptEvents = kept.filter(\.isEvent)
            sequenceNumber = keptEvents.compactMap(\.sequenceNumber).max().map { $0 + 1 } ?? keptEvents.count
            input.withUnsafeBufferPointer { buffer in
                if let created = events.first(where: { $0.kind == "response.created" }),
                   let id = JSONObjects.string(created.object("response", in: created.top)?.value("id"), in: buffer), !id.isEmpty {
                    responseID = id
                }
            }
        }
        func item(_ block: (content: [UInt8], terminator: [UInt8]), kind: String) -> Item {
            Item(source: nil, isEvent: true, kind: kind, made: [.literal(ArraySlice(block.content))], terminator: [.literal(ArraySlice(block.terminator))])
        }
        var items: [Item] = []
        if let shape {
            items.append(item(InjectedBodies.eventBlock(
                name: writesEventLines ? "error" : nil,
                data: InjectedBodies.errorEventData(shape: shape, sequenceNumber: sequenceNumber),
                lineEnd: lineEnd
            ), kind: "error"))
            sequenceNumber = sequenceNumber.map { $0 + 1 }
        }
        if isResponses {
            items.append(item(InjectedBodies.eventBlock(
                name: writesEventLines ? "response.failed" : nil,
                data: InjectedBodies.responseFailedData(responseID: responseID, sequenceNumber: sequenceNumber, refusal: shape == nil),
                lineEnd: lineEnd
            ), kind: "response.failed"))
        }
        return items
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

    /// The non-negative integer a raw JSON number holds, if it is one.
    private static func integer(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count < 19 else { return nil }
        var value = 0
        for index in range {
            let byte = buffer[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Writes the items: a BOM first when asked for (and not already there), a heartbeat
    /// comment line before every Nth event, an `id: N` line as the last line of every event
    /// block (after any `id` of its own, so it wins), and every line end rewritten when asked.
    /// Before an event a `silence` names, its comment blocks are written and the waits noted.
    private func write(_ items: [Item]) -> (body: [UInt8], eventEnds: [Int], silences: [(offset: Int, delay: Duration)]) {
        var writer = LineEndWriter(target: scenario.lineEnding?.bytes)
        let expected = items.reduce(0) { total, item in total + content(of: item).reduce(0) { $0 + $1.count } + item.terminator.reduce(0) { $0 + $1.count } }
        // Room for what is written; a line-ending rewrite may lengthen it (LF to CRLF).
        writer.output.reserveCapacity(expected + (scenario.lineEnding == nil ? 0 : expected / 8) + 256)
        if scenario.faults.contains(.leadingBOM), !input.starts(with: ByteScan.byteOrderMark) {
            writer.output += ByteScan.byteOrderMark
        }
        let heartbeatEvery = scenario.heartbeatEvery.flatMap { $0 > 0 ? $0 : nil }
        let writesIDs = scenario.faults.contains(.idLines)
        var eventEnds: [Int] = []
        var silences: [(offset: Int, delay: Duration)] = []
        let eventCount = items.count { $0.isEvent }
        let silenceFaults = scenario.faults.compactMap { fault -> (index: Int, seconds: Double, every: Double?)? in
            guard case .silence(let seconds, let index, let every) = fault, seconds.isFinite, seconds > 0 else { return nil }
            return (index < 0 ? eventCount + index : index, seconds, every)
        }
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
                    write(content(of: item))
                    continue
                }
                let number = eventEnds.count
                for silence in silenceFaults where silence.index == number {
                    // A comment block every `every` seconds of the silence, the rest of it after
                    // them; in whole microseconds, so 1 s less three 0.3 s is exactly 0.1 s.
                    func microseconds(_ seconds: Double) -> Duration { .microseconds(Int64((seconds * 1e6).rounded())) }
                    var left = microseconds(silence.seconds)
                    if let every = silence.every.map(microseconds), every > .zero {
                        while left >= every {
                            silences.append((writer.output.count, every))
                            write([.literal(ArraySlice(InjectedBodies.keepAliveBlock(lineEnd: lineEnd)))])
                            left -= every
                        }
                    }
                    if left > .zero { silences.append((writer.output.count, left)) }
                }
                if let heartbeatEvery, (number + 1) % heartbeatEvery == 0 {
                    write([.literal(ArraySlice(InjectedBodies.heartbeatLine(lineEnd: lineEnd)))])
                }
                write(content(of: item))
                if writesIDs { write([.literal(ArraySlice(InjectedBodies.idLine(number, lineEnd: lineEnd)))]) }
                write(item.terminator)
                eventEnds.append(writer.output.count)
            }
        }
        return (writer.output, eventEnds, silences)
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
