import PropertyBased
import SSEWire
import Testing

/// The parser's result must not depend on how the stream was split into chunks.
@Suite("Chunk splits never change what is parsed")
struct ChunkSplitTests {
    @Test("Random splits, including empty chunks, match the stream parsed whole")
    func randomSplits() async {
        let corpus = ImageStreamCorpus.all
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...(corpus.count - 1)), Gen.int(in: 0...97).array(of: 1...40)
        ) { streamIndex, sizes in
            let bytes = corpus[streamIndex].bytes
            #expect(ChunkSplits.parse(ChunkSplits.cut(bytes, sizes: sizes)) == ChunkSplits.whole(bytes))
        }
    }

    @Test("Random cut points anywhere in a stream match the stream parsed whole")
    func randomCutPoints() async {
        let corpus = ImageStreamCorpus.all
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...(corpus.count - 1)), Gen.int(in: 0...20_000).array(of: 0...12)
        ) { streamIndex, cuts in
            let bytes = corpus[streamIndex].bytes
            let offsets = cuts.map { $0 % (bytes.count + 1) }
            #expect(ChunkSplits.parse(ChunkSplits.cut(bytes, at: offsets)) == ChunkSplits.whole(bytes))
        }
    }

    @Test("Every 2-way split of a short stream matches the stream parsed whole", arguments: ShortStreams.all)
    func everyTwoWaySplit(_ stream: ShortStreams.Row) {
        let expected = ChunkSplits.whole(stream.bytes)
        for offset in 0...stream.bytes.count {
            let outcome = ChunkSplits.parse(ChunkSplits.cut(stream.bytes, at: [offset]))
            #expect(outcome == expected, "split at \(offset)")
        }
    }

    @Test("Every 3-way split of a short stream matches the stream parsed whole", arguments: ShortStreams.all.filter { $0.bytes.count <= 48 })
    func everyThreeWaySplit(_ stream: ShortStreams.Row) {
        let expected = ChunkSplits.whole(stream.bytes)
        for first in 0...stream.bytes.count {
            for second in first...stream.bytes.count {
                let outcome = ChunkSplits.parse(ChunkSplits.cut(stream.bytes, at: [first, second]))
                #expect(outcome == expected, "split at \(first) and \(second)")
            }
        }
    }

    @Test("One byte at a time matches the stream parsed whole", arguments: ImageStreamCorpus.all)
    func singleBytes(_ stream: ImageStreamCorpus.Stream) {
        #expect(ChunkSplits.parse(ChunkSplits.cut(stream.bytes, sizes: [1])) == ChunkSplits.whole(stream.bytes))
    }

    @Test(
        "Cuts placed on purpose where clients break match the stream parsed whole",
        arguments: ImageStreamCorpus.all, ChunkSplits.Hazard.allCases
    )
    func deliberateCuts(_ stream: ImageStreamCorpus.Stream, at hazard: ChunkSplits.Hazard) {
        let expected = ChunkSplits.whole(stream.bytes)
        let offsets = ChunkSplits.offsets(of: hazard, in: stream.bytes)
        // Each hazard on its own, then all of them at once.
        for offset in offsets.prefix(200) {
            #expect(ChunkSplits.parse(ChunkSplits.cut(stream.bytes, at: [offset])) == expected, "cut at \(offset)")
        }
        #expect(ChunkSplits.parse(ChunkSplits.cut(stream.bytes, at: offsets)) == expected, "all \(offsets.count) cuts")
    }

    @Test("Chunk sizes that are all zero give the stream whole instead of never ending")
    func zeroSizes() {
        #expect(ChunkSplits.cut([1, 2, 3], sizes: [0, 0]) == [[1, 2, 3][...]])
        #expect(ChunkSplits.cut([1, 2, 3], sizes: [0, 2]).map(Array.init) == [[], [1, 2], [], [3]])
    }

    @Test("The corpus has every hazard the deliberate cuts aim at")
    func corpusCoversEveryHazard() {
        for hazard in ChunkSplits.Hazard.allCases {
            let found = ImageStreamCorpus.all.contains { !ChunkSplits.offsets(of: hazard, in: $0.bytes).isEmpty }
            #expect(found, "no stream in the corpus has \(hazard)")
        }
    }

    @Test("The corpus parses to the events a client expects")
    func corpusParsesAsExpected() {
        let generate = ChunkSplits.whole(ImageStreamCorpus.imagesGenerate.bytes)
        #expect(generate.events.map(\.type) == ["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"])
        #expect(generate.end == .clean)

        let edit = ChunkSplits.whole(ImageStreamCorpus.imagesEditCRLFWithBOMAndHeartbeats.bytes)
        #expect(edit.events.map(\.type) == ["image_edit.partial_image", "image_edit.completed"])
        #expect(edit.events.first?.byteRange.lowerBound == 3 + ": keep-alive\r\n\r\n".utf8.count)

        let responses = ChunkSplits.whole(ImageStreamCorpus.responsesWithDone.bytes)
        #expect(responses.events.last?.data == "[DONE]")
        #expect(responses.events[2].data.contains("Kätzchen — 猫 🐈"))

        let gateway = ChunkSplits.whole(ImageStreamCorpus.gatewayCarriageReturnsWithIDs.bytes)
        #expect(gateway.events.map(\.lastEventID) == ["1", ""])
        #expect(gateway.events.map(\.retry) == [1500, nil])
        #expect(gateway.events.first?.data.contains("\n\"b64_json\"") == true)

        let truncated = ChunkSplits.whole(ImageStreamCorpus.truncatedMidEvent.bytes)
        #expect(truncated.events.count == 2)
        guard case .midEvent(let block) = truncated.end else {
            Issue.record("a truncated stream must end mid-event")
            return
        }
        #expect(block.heldData)
        #expect(block.byteRange.upperBound == ImageStreamCorpus.truncatedMidEvent.bytes.count - 1)

        let invalid = ChunkSplits.whole(ImageStreamCorpus.invalidUTF8InData.bytes)
        #expect(invalid.events.map(\.data) == ["caf\u{FFFD} \u{00E9}\n\u{FFFD}\nend"])
    }
}

/// Short streams for exhaustive splits: the WHATWG corner cases in a few dozen bytes each.
enum ShortStreams {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static let all: [Row] = [
        Row(name: "BOM then CRLF events", bytes: [0xEF, 0xBB, 0xBF] + Array("data:1\r\n\r\ndata: 2\r\n\r\n".utf8)),
        Row(name: "two BOMs", bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("data:1\n\ndata:2\n\n".utf8)),
        Row(name: "BOM prefix that is not a BOM", bytes: [0xEF, 0xBB] + Array("data:x\n\ndata:y\n\n".utf8)),
        Row(name: "mixed line ends", bytes: Array("data:test\r\ndata\ndata:test\r\n\r".utf8)),
        Row(name: "lone CR at the end", bytes: Array("data:a\r\r".utf8)),
        Row(name: "CR CR LF", bytes: Array("data:a\r\r\ndata:b\n\n".utf8)),
        Row(name: "ids persist and reset", bytes: Array("id: 1\ndata: 1\n\ndata: 2\n\nid\ndata:3\n\n".utf8)),
        Row(name: "id with NUL ignored", bytes: Array("id: 5\n\nid: x\0y\ndata: z\n\n".utf8)),
        Row(name: "retry digits only", bytes: Array("retry: 0100\nretry: 1x\ndata: r\n\n".utf8)),
        Row(name: "event type and empty data", bytes: Array("event: ping\n\nevent: x\ndata\n\n".utf8)),
        Row(name: "comments and unknown fields", bytes: Array(":c\r\nfoo: bar\nData: no\n data: no\ndata:  two\n\n".utf8)),
        Row(name: "multi-byte text", bytes: Array("data: ñ—猫🐈\n\nevent: é\ndata: ü\n\n".utf8)),
        Row(name: "invalid UTF-8", bytes: Array("data: a".utf8) + [0xF0, 0x9F, 0x90] + Array("\n\n".utf8) + [0xFF] + Array("data:b\n\n".utf8)),
        Row(name: "unterminated last event", bytes: Array("data: a\n\ndata: b\n".utf8)),
        Row(name: "NUL in data", bytes: Array("data:\0\n\n".utf8)),
        Row(name: "only colons", bytes: Array(":::\n::\ndata::\n\n".utf8)),
        Row(name: "[DONE] sentinel", bytes: Array("data: {\"type\":\"x\"}\n\ndata: [DONE]\n\n".utf8)),
    ]
}
