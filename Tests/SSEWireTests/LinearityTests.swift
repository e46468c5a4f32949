import SSEWire
import TestKit
import Testing

/// The parser examines each byte a bounded number of times however the stream is split.
/// A counter, not a clock, so the test is exact on any machine.
@Suite("Parsing stays linear in the bytes")
struct LinearityTests {
    static let dataLength = 4 << 20

    static let singleHugeEvent: [UInt8] = {
        var bytes = Array("event: image_generation.partial_image\ndata: ".utf8)
        var generator = SeededRandom(seed: 42)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        bytes.reserveCapacity(dataLength + 64)
        for _ in 0..<dataLength { bytes.append(alphabet[Int(generator.next() & 63)]) }
        bytes.append(contentsOf: Array("\n\n".utf8))
        return bytes
    }()

    @Test("A 4 MiB data line is examined at most twice, whole, 7 bytes or 1 byte at a time", arguments: [Self.singleHugeEvent.count, 7, 1])
    func hugeLine(chunkSize: Int) {
        let bytes = Self.singleHugeEvent
        var parser = SSEParser()
        var events: [SSEEvent] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(start + chunkSize, buffer.count)
                parser.feed(UnsafeBufferPointer(rebasing: buffer[start..<end])) { events.append($0) }
                start = end
            }
        }
        #expect(events.count == 1)
        #expect(events.first?.data.utf8.count == Self.dataLength)
        #expect(parser.bytesConsumed == bytes.count)
        #expect(parser.bytesExamined <= 2 * bytes.count, "examined \(parser.bytesExamined) of \(bytes.count) bytes")
        #expect(parser.finish() == .clean)
    }

    @Test("Many small events cost the same per byte as one large one")
    func manySmallEvents() {
        let event = Array(#"event: image_generation.partial_image\#ndata: {"type":"image_generation.partial_image","partial_image_index":1}\#n\#n"#.utf8)
        let bytes = Array(repeating: event, count: 20_000).flatMap { $0 }
        var parser = SSEParser()
        var count = 0
        parser.feed(bytes) { _ in count += 1 }
        #expect(count == 20_000)
        #expect(parser.bytesExamined <= 2 * bytes.count)
    }

    @Test("Buffered data is bounded by the limit, and the stream goes on after an oversized event")
    func limitBoundsMemory() {
        var parser = SSEParser(limits: .init(maxEventBytes: 1000))
        let oversized = Array("data: ".utf8) + Array(repeating: UInt8(ascii: "A"), count: 5000) + Array("\ndata: more\n\n".utf8)
        var events: [SSEEvent] = []
        for byte in oversized + Array("data: next\n\n".utf8) {
            parser.feed([byte]) { events.append($0) }
        }
        #expect(events.map(\.data) == ["next"])
        #expect(parser.oversizedEventsDropped == 1)
    }
}
