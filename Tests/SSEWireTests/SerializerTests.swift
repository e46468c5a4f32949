import PropertyBased
import SSEWire
import Testing

@Suite("The serializer writes what the parser reads back")
struct SerializerTests {
    /// What survives a round trip: everything but the byte offsets, which depend on the dialect.
    struct Content: Equatable {
        var type: String, data: String, lastEventID: String, retry: Int?
        init(_ event: SSEEvent, keepingType: Bool = true) {
            (type, data, lastEventID, retry) = (keepingType ? event.type : "message", event.data, event.lastEventID, event.retry)
        }
    }

    static let allOptions: [SSESerializer.Options] = {
        var all: [SSESerializer.Options] = []
        for ending in SSESerializer.LineEnding.allCases {
            for policy in SSESerializer.EventFieldPolicy.allCases {
                for space in [true, false] {
                    all.append(SSESerializer.Options(lineEnding: ending, eventField: policy, spaceAfterColon: space))
                }
            }
        }
        return all
    }()

    static let eventFields = ["", "message", "image_generation.partial_image", "response.completed", "é"]
    static let dataPieces = ["", " ", "  lead", "{\"b64_json\":\"iVBO\"}", "a\nb", "\n", "\n\n", "x:y", "猫🐈", "\0", "[DONE]", "tail \n"]
    static let ids = ["", "1", "id-7", " spaced", "ü"]

    static let eventGenerator = zip(
        Gen.int(in: 0...(eventFields.count - 1)),
        Gen.int(in: 0...(dataPieces.count - 1)).array(of: 1...3),
        Gen.int(in: 0...(ids.count - 1)),
        Gen.int(in: -1...3000)
    ).map { (choice: (Int, [Int], Int, Int)) -> SSEEvent in
        let retry = choice.3 >= 0 && choice.3 % 3 == 0 ? choice.3 : nil
        let data = choice.1.map { dataPieces[$0] }.joined()
        return SSEEvent(eventField: eventFields[choice.0], data: data, lastEventID: ids[choice.2], retry: retry)
    }

    @Test("parse(serialize(events)) == events, for every line ending, event-field policy and spacing", arguments: allOptions)
    func roundTrip(_ options: SSESerializer.Options) async throws {
        await propertyCheck(count: 60, input: Self.eventGenerator.array(of: 0...8), Gen.int(in: 1...9)) { events, chunkSize in
            let bytes = try #require(try? SSESerializer.serialize(events, options: options))
            let parsed = ChunkSplits.parse(ChunkSplits.cut(bytes, sizes: [chunkSize]))
            let keepsType = options.eventField != .never
            #expect(parsed.events.map { Content($0) } == events.map { Content($0, keepingType: keepsType) })
            #expect(parsed.end == .clean)
        }
    }

    @Test("The dialect options change the bytes as asked")
    func dialects() throws {
        let event = SSEEvent(eventField: "image_generation.partial_image", data: "a\nb", lastEventID: "7", retry: 10)
        #expect(try SSESerializer.serialize([event]) == Array("retry: 10\nid: 7\nevent: image_generation.partial_image\ndata: a\ndata: b\n\n".utf8))
        #expect(try SSESerializer.serialize([event], options: .init(lineEnding: .crlf, eventField: .never, spaceAfterColon: false))
            == Array("retry:10\r\nid:7\r\ndata:a\r\ndata:b\r\n\r\n".utf8))
        #expect(try SSESerializer.serialize([SSEEvent(data: "x")], options: .init(lineEnding: .cr, eventField: .always))
            == Array("event: message\rdata: x\r\r".utf8))
        #expect(try SSESerializer.serialize([SSEEvent(data: " x")], options: .init(spaceAfterColon: false)) == Array("data:  x\n\n".utf8))
    }

    @Test("An id is written only when it changes, and an empty one resets it")
    func idsWrittenOnChange() throws {
        let events = [SSEEvent(data: "1", lastEventID: "a"), SSEEvent(data: "2", lastEventID: "a"), SSEEvent(data: "3")]
        #expect(try SSESerializer.serialize(events) == Array("id: a\ndata: 1\n\ndata: 2\n\nid: \ndata: 3\n\n".utf8))
    }

    @Test("Heartbeat comments are ignored by readers")
    func heartbeats() throws {
        var serializer = SSESerializer(options: .init(lineEnding: .crlf))
        var bytes: [UInt8] = []
        serializer.appendComment("keep-alive", to: &bytes)
        try serializer.append(SSEEvent(data: "x"), to: &bytes)
        serializer.appendComment("two\nlines", to: &bytes)
        serializer.appendComment("", to: &bytes)
        #expect(bytes == Array(": keep-alive\r\ndata: x\r\n\r\n: two\r\n: lines\r\n:\r\n".utf8))
        #expect(ChunkSplits.whole(bytes).events.map(\.data) == ["x"])
    }

    @Test("Events that cannot be written unchanged are refused with the reason", arguments: [
        (SSEEvent(data: "a\r\nb"), SSESerializationError.carriageReturnInData),
        (SSEEvent(eventField: "a\nb", data: "x"), .lineEndInField(name: "event", value: "a\nb")),
        (SSEEvent(data: "x", lastEventID: "a\0"), .lineEndInField(name: "id", value: "a\0")),
        (SSEEvent(data: "x", retry: -1), .negativeRetry(-1)),
    ])
    func refusals(_ event: SSEEvent, _ expected: SSESerializationError) {
        #expect(throws: expected) { try SSESerializer.serialize([event]) }
    }
}

@Suite("A recording replays byte for byte")
struct RecordingTests {
    @Test("Its chunks are the recorded pieces, in order, and parse like the whole")
    func chunksReplayExactly() throws {
        let bytes = ImageStreamCorpus.imagesEditCRLFWithBOMAndHeartbeats.bytes
        let ends = [1, 2, 50, 51, 900, bytes.count]
        let recording = try SSERecording(bytes: bytes, chunkEnds: ends)
        #expect(recording.chunks.map(\.count) == [1, 1, 48, 1, 849, bytes.count - 900])
        #expect(Array(recording.chunks.joined()) == bytes)
        #expect(ChunkSplits.parse(recording.chunks) == ChunkSplits.whole(bytes))
    }

    @Test("Each event's bytes are found again from its byte range, terminator included")
    func eventBytes() throws {
        let bytes = Array("data: a\r\n\r\n: c\ndata: b\n\n".utf8)
        let recording = SSERecording(bytes: bytes)
        let events = ChunkSplits.whole(bytes).events
        #expect(events.map { Array(recording.bytes(of: $0)) } == [Array("data: a\r\n\r\n".utf8), Array(": c\ndata: b\n\n".utf8)])
    }

    @Test("Boundaries that do not cut the bytes into ordered, non-empty chunks are refused")
    func invalidBoundaries() {
        #expect(throws: SSERecordingError.invalidChunkEnd(2, previous: 2, total: 4)) { try SSERecording(bytes: [1, 2, 3, 4], chunkEnds: [2, 2, 4]) }
        #expect(throws: SSERecordingError.bytesAfterLastChunk(covered: 3, total: 4)) { try SSERecording(bytes: [1, 2, 3, 4], chunkEnds: [3]) }
    }
}
