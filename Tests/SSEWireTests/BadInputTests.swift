import SSEWire
import TestKit
import Testing

// Hostile and broken input: the parser never crashes, never hangs, and never buffers more than
// `Limits.maxEventBytes` for one event, whatever bytes arrive and however they are split.
// Feeds through `WHATWGFormatTests.Run` (WHATWGFormatTests.swift).

extension SeededRandom {
    /// `bytes` cut into chunks of 0 ... `maxLength` bytes; empty chunks included.
    mutating func chunks(of bytes: [UInt8], maxLength: Int) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 0...maxLength, using: &self))
            chunks.append(bytes[start..<end])
            start = end
        }
        return chunks
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func describe(_ chunks: [ArraySlice<UInt8>]) -> String {
    let sizes = chunks.map(\.count)
    return sizes.count <= 40 ? "chunk sizes \(sizes)" : "\(sizes.count) chunks, first sizes \(sizes.prefix(40))"
}

private let smallLimits = SSEParser.Limits(maxEventBytes: 1024)

@Suite("Bad input: no crash, no hang, bounded memory", .timeLimit(.minutes(1)))
struct BadInputTests {
    typealias ParserRun = WHATWGFormatTests.Run

    // MARK: Random bytes

    @Test("Seeded random bytes in random chunks: the parser finishes, agrees with one whole chunk, and examines each byte at most about twice",
          arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomBytes(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let input = random.bytes(512 << 10) // 8 seeds × 512 KiB = 4 MiB in all
        let chunks = random.chunks(of: input, maxLength: 8192)

        let split = ParserRun(feeding: chunks)
        #expect(split.bytesConsumed == input.count)
        #expect(split.examinedWithinBound, "seed \(seed): bytesExamined \(split.bytesExamined) for \(split.bytesConsumed) bytes")

        let whole = ParserRun(whole: input)
        #expect(split == whole, "seed \(seed), \(describe(chunks))")
    }

    @Test("Binary junk full of data:, event:, id: and line-end fragments: chunking never changes the result and no event outgrows the limit",
          arguments: [11, 12, 13, 14, 15, 16, 17, 18] as [UInt64])
    func junkWithFieldFragments(seed: UInt64) {
        let fragments: [[UInt8]] = [
            "data:", "data: ", "data", "Data:", "event:", "event: x", "id:", "id: 7", "retry:", "retry:250",
            ":", ": comment", "\n", "\n", "\n", "\r\n", "\r", "\0", "\u{FEFF}", " ",
        ].map(bytes)
        var random = SeededRandom(seed: seed)
        var input: [UInt8] = []
        while input.count < 256 << 10 { // 8 seeds × 256 KiB = 2 MiB in all
            switch random.next() % 8 {
            case 0: input += random.bytes(Int.random(in: 1...64, using: &random))
            case 1 where random.next() % 16 == 0: input += random.bytes(Int.random(in: 700...1500, using: &random))
            default: input += fragments[Int(random.next() % UInt64(fragments.count))]
            }
        }
        let chunks = random.chunks(of: input, maxLength: 512)

        let split = ParserRun(feeding: chunks, limits: smallLimits)
        let whole = ParserRun(whole: input, limits: smallLimits)
        #expect(split == whole, "seed \(seed), \(describe(chunks))")
        #expect(split.examinedWithinBound, "seed \(seed): bytesExamined \(split.bytesExamined) for \(split.bytesConsumed) bytes")
        #expect(!whole.events.isEmpty, "seed \(seed): the junk should produce some events")
        // Each buffered byte decodes to at most one scalar, so this bounds the buffer.
        let oversized = whole.events.filter { $0.data.unicodeScalars.count > smallLimits.maxEventBytes }
        #expect(oversized.isEmpty, "seed \(seed): \(oversized.count) events longer than maxEventBytes, e.g. \(oversized.first.map { $0.byteRange.description } ?? "")")
    }

    // MARK: Single odd bytes

    @Test("A lone NUL is an unterminated block without data")
    func loneNUL() {
        let run = ParserRun(whole: [0x00])
        #expect(run.events.isEmpty)
        #expect(run.end == .midEvent(SSEUnterminatedBlock(byteRange: 0...0, heldData: false)))
    }

    @Test("A NUL line is an unknown field: a blank line after it dispatches nothing")
    func nulLine() {
        let run = ParserRun(whole: bytes("\0\n\n"))
        #expect(run.events.isEmpty)
        #expect(run.end == .clean)
    }

    @Test("A CR as the very last byte dispatches at once, without waiting for an LF")
    func loneCarriageReturnAtEnd() {
        var parser = SSEParser()
        #expect(parser.feed(bytes("data:x\n")).isEmpty)
        let events = parser.feed([0x0D])
        #expect(events.map(\.data) == ["x"])
        #expect(events.map(\.byteRange) == [0...7])
        #expect(parser.finish() == .clean)
    }

    @Test("A stream that is one CR is a blank line: no event, clean end")
    func onlyCarriageReturn() {
        let run = ParserRun(whole: [0x0D])
        #expect(run.events.isEmpty)
        #expect(run.end == .clean)
    }

    // MARK: Many or long lines

    @Test("10,000 empty lines dispatch nothing and end cleanly", arguments: ["LF", "CRLF", "CR"])
    func tenThousandEmptyLines(lineEnd: String) {
        let ending = ["LF": [0x0A], "CRLF": [0x0D, 0x0A], "CR": [0x0D]][lineEnd]! as [UInt8]
        let input = Array([[UInt8]](repeating: ending, count: 10_000).joined())
        var random = SeededRandom(seed: 10_000)
        let chunks = random.chunks(of: input, maxLength: 7)
        for run in [ParserRun(whole: input), ParserRun(feeding: chunks)] {
            #expect(run.events.isEmpty)
            #expect(run.end == .clean)
            #expect(run.examinedWithinBound, "bytesExamined \(run.bytesExamined) for \(run.bytesConsumed) bytes")
        }
    }

    @Test("A 1 MiB comment, unknown field value or field name is skipped without buffering: the next event still arrives",
          arguments: ["comment", "unknown field value", "field name without colon"])
    func megabyteLineIsNotHeld(kind: String) {
        let filler = [UInt8](repeating: 0x78, count: 1 << 20)
        let line: [UInt8] = switch kind {
        case "comment": bytes(":") + filler
        case "unknown field value": bytes("foo:") + filler
        default: filler
        }
        let input = line + bytes("\ndata:after\n\n")
        var random = SeededRandom(seed: 1 << 20)
        // maxEventBytes is far below the line: if the line were buffered it would count as oversized.
        let run = ParserRun(feeding: random.chunks(of: input, maxLength: 128 << 10), limits: smallLimits)
        #expect(run.events.map(\.data) == ["after"])
        // The skipped line still belongs to the block: the event's bytes start at the line.
        #expect(run.events.map(\.byteRange) == [0...(input.count - 1)])
        #expect(run.oversizedEventsDropped == 0)
        #expect(run.end == .clean)
        #expect(run.examinedWithinBound, "bytesExamined \(run.bytesExamined) for \(run.bytesConsumed) bytes")
    }

    @Test("A line of only colons is a comment; data:::: has the value :::")
    func onlyColons() {
        let colons = [UInt8](repeating: 0x3A, count: 1000)
        let run = ParserRun(whole: colons + bytes("\n\ndata::::\n\n"))
        #expect(run.events.map(\.data) == [":::"])
        #expect(run.end == .clean)
        #expect(ParserRun(bytewise: colons).end == .midEvent(SSEUnterminatedBlock(byteRange: 0...999, heldData: false)))
    }

    // MARK: Limits.maxEventBytes

    @Test("A data line over maxEventBytes drops that event only: counted once, the next event still dispatched")
    func oversizedDataLine() {
        let input = bytes("event:big\ndata:") + [UInt8](repeating: 0x78, count: 2000) + bytes("\nid:9\n\ndata:next\n\n")
        for run in [ParserRun(whole: input, limits: smallLimits), ParserRun(bytewise: input, limits: smallLimits)] {
            #expect(run.events.map(\.data) == ["next"])
            #expect(run.events.map(\.type) == ["message"])
            #expect(run.oversizedEventsDropped == 1)
            #expect(run.end == .clean)
        }
    }

    @Test("Data lines that together pass maxEventBytes drop the event")
    func oversizedAcrossDataLines() {
        let line = bytes("data:") + [UInt8](repeating: 0x78, count: 600) + bytes("\n")
        let input = line + line + bytes("\ndata:next\n\n")
        let run = ParserRun(whole: input, limits: smallLimits)
        #expect(run.events.map(\.data) == ["next"])
        #expect(run.oversizedEventsDropped == 1)
    }

    @Test("A data value of exactly maxEventBytes is kept")
    func dataAtTheLimit() {
        let value = [UInt8](repeating: 0x78, count: smallLimits.maxEventBytes)
        let run = ParserRun(whole: bytes("data:") + value + bytes("\n\n"), limits: smallLimits)
        #expect(run.events.map(\.data.utf8.count) == [smallLimits.maxEventBytes])
        #expect(run.oversizedEventsDropped == 0)
    }

    @Test("Empty data lines count toward maxEventBytes: 100,000 of them in one block drop the event")
    func emptyDataLinesAreBounded() {
        let input = Array([[UInt8]](repeating: bytes("data\n"), count: 100_000).joined()) + bytes("\ndata:next\n\n")
        let run = ParserRun(whole: input, limits: smallLimits)
        // Compare sizes, not the data itself: a failure would otherwise print 100,000 LFs.
        #expect(run.events.map(\.data.utf8.count) == [4], "data lengths of the dispatched events")
        #expect(run.events.last?.data == "next")
        #expect(run.oversizedEventsDropped == 1)
    }

    @Test("An event: value over maxEventBytes drops the block; its type does not leak into the next event")
    func oversizedEventType() {
        let input = bytes("event:") + [UInt8](repeating: 0x65, count: 2000) + bytes("\ndata:x\n\ndata:next\n\n")
        for run in [ParserRun(whole: input, limits: smallLimits), ParserRun(bytewise: input, limits: smallLimits)] {
            #expect(run.events.map(\.data) == ["next"])
            #expect(run.events.map(\.type) == ["message"])
            #expect(run.oversizedEventsDropped == 1)
            #expect(run.end == .clean)
        }
    }

    @Test("An id: value over maxEventBytes drops the block and leaves the last event ID alone")
    func oversizedID() {
        let input = bytes("id:1\ndata:a\n\nid:") + [UInt8](repeating: 0x69, count: 2000) + bytes("\ndata:x\n\ndata:next\n\n")
        let run = ParserRun(whole: input, limits: smallLimits)
        #expect(run.events.map(\.data) == ["a", "next"])
        #expect(run.events.map(\.lastEventID) == ["1", "1"])
        #expect(run.oversizedEventsDropped == 1)
    }

    @Test("An oversized block cut off by the end of input is reported mid-event without data")
    func oversizedAtEnd() {
        let input = bytes("data:") + [UInt8](repeating: 0x78, count: 2000)
        let run = ParserRun(whole: input, limits: smallLimits)
        #expect(run.events.isEmpty)
        #expect(run.end == .midEvent(SSEUnterminatedBlock(byteRange: 0...(input.count - 1), heldData: false)))
    }
}
