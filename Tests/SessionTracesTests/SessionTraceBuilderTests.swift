import Cassette
import Foundation
import ImageFormats
import Reports
import SessionTraces
import Testing

@Suite("Session traces from recorded cassettes")
struct CassetteTraceTests {
    /// What the filmstrip of a bundled cassette must show, in arrival order.
    struct Filmstrip: CustomTestStringConvertible, Sendable {
        var cassette: String
        /// role, index, format, status for each frame.
        var frames: [String]
        var size: (width: Int, height: Int)?
        var testDescription: String { cassette }
    }

    static let filmstrips: [Filmstrip] = [
        Filmstrip(cassette: "images-generate-png-partial-2",
                  frames: ["partial 0 png ok", "partial 1 png ok", "final 0 png ok"], size: (1024, 1024)),
        Filmstrip(cassette: "images-generate-jpeg-partial-2",
                  frames: ["partial 0 jpeg ok", "partial 1 jpeg ok", "final 0 jpeg ok"]),
        Filmstrip(cassette: "images-generate-webp-transparent", frames: ["partial 0 webp ok", "final 0 webp ok"]),
        Filmstrip(cassette: "images-edit-png-partial-1", frames: ["partial 0 png ok", "final 0 png ok"]),
        Filmstrip(cassette: "images-generate-truncated-final-image",
                  frames: ["partial 0 png ok", "partial 1 png ok", "final 0 png truncated"]),
        Filmstrip(cassette: "images-generate-missing-final",
                  frames: ["partial 0 png ok", "partial 1 png ok", "final 0 - missing"]),
        Filmstrip(cassette: "images-generate-cut-after-first-event", frames: ["partial 0 png ok", "final 0 - missing"]),
        Filmstrip(cassette: "responses-aiswing-4k-landscape",
                  frames: ["partial 0 png ok", "final 0 png ok"], size: (3840, 2160)),
        Filmstrip(cassette: "responses-error-nested", frames: ["final 0 - missing"]),
        Filmstrip(cassette: "images-generate-json-n2", frames: ["final 0 png ok", "final 1 png ok"]),
        Filmstrip(cassette: "images-generate-apiyi", frames: ["final 0 png ok"]),   // data:image/png;base64, prefix
        Filmstrip(cassette: "images-generate-gateway-url", frames: []),
        Filmstrip(cassette: "images-generate-error-429", frames: []),
    ]

    @Test("images are found in every surface's payload fields, inspected and judged", arguments: filmstrips)
    func filmstrip(_ example: Filmstrip) throws {
        let trace = SessionTraceBuilder.build(cassette: try Fixtures.cassette(example.cassette), thumbnails: .standard)
        let described = trace.images.map { "\($0.role.rawValue) \($0.index) \($0.format ?? "-") \($0.status.rawValue)" }
        #expect(described == example.frames)
        if let size = example.size {
            #expect(trace.images.allSatisfy { $0.width == size.width && $0.height == size.height })
        }
        for frame in trace.images {
            #expect((frame.status == .ok) == (frame.thumbnail != nil), "thumbnails for whole images only: \(frame)")
            #expect((frame.status == .ok) == (frame.problem == nil))
            #expect((frame.status == .missing) == (frame.byteCount == 0))
        }
        #expect(trace.images.map(\.time) == trace.images.map(\.time).sorted(), "arrival order")
    }

    @Test("events carry their JSON type, their bytes, and the time of the chunk holding their last byte")
    func eventsAndTimes() throws {
        let cassette = try Fixtures.cassette("responses-aiswing-4k-landscape")
        let trace = SessionTraceBuilder.build(cassette: cassette, thumbnails: .none)
        #expect(trace.events.map(\.type) == [
            "response.created", "response.in_progress", "response.output_item.added",
            "response.image_generation_call.in_progress", "response.image_generation_call.generating",
            // aiswing relays the live API: no response.image_generation_call.completed.
            "response.image_generation_call.partial_image",
            "response.output_item.done",
            // The assistant's message after the image.
            "response.output_item.added", "response.content_part.added", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.completed", "[DONE]",
        ])
        // One event per chunk in this recording: each event's time is its chunk's.
        #expect(trace.events.map(\.time) == trace.chunks.map(\.time))
        #expect(trace.events.first?.byteStart == 0)
        #expect(trace.events.last?.byteEnd == cassette.response.recording.bytes.count)
        for (previous, next) in zip(trace.events, trace.events.dropFirst()) {
            #expect(previous.byteEnd == next.byteStart)
        }
        #expect(trace.byteCount == cassette.response.recording.bytes.count)
        #expect(trace.ending == "complete")
        #expect(trace.images.allSatisfy { $0.thumbnail == nil }, "no thumbnails asked for")
        let partial = try #require(trace.images.first)
        #expect(partial.time == trace.events[5].time)
    }

    @Test("a 4K image's thumbnail is a small PNG data URL within the max side")
    func thumbnailOfFourK() throws {
        let trace = SessionTraceBuilder.build(cassette: try Fixtures.cassette("responses-aiswing-4k-portrait"),
                                              thumbnails: .scaled(maxSide: 96, byteBudget: 1 << 20))
        let final = try #require(trace.images.last)
        #expect(final.role == .final && (final.height ?? 0) > 2000)
        let url = try #require(final.thumbnail)
        let prefix = "data:image/png;base64,"
        #expect(url.hasPrefix(prefix))
        let png = [UInt8](try #require(Data(base64Encoded: String(url.dropFirst(prefix.count)))))
        let inspection = ImageInspector.inspect(png)
        #expect(inspection.isComplete)
        #expect(max(inspection.width ?? 0, inspection.height ?? 0) == 96)
        #expect(png.count < 8_000)
    }

    @Test("thumbnails stop when the byte budget is spent")
    func byteBudget() throws {
        let cassette = try Fixtures.cassette("images-generate-png-partial-3")
        let unlimited = SessionTraceBuilder.build(cassette: cassette, thumbnails: .scaled(maxSide: 64, byteBudget: 1 << 20))
        let sizes = unlimited.images.compactMap { $0.thumbnail?.utf8.count }
        #expect(sizes.count == 4)
        let budget = sizes[0] + sizes[1] + sizes[2] / 2
        let limited = SessionTraceBuilder.build(cassette: cassette, thumbnails: .scaled(maxSide: 64, byteBudget: budget))
        #expect(limited.images.map { $0.thumbnail != nil } == [true, true, false, false])
        #expect(limited.images.map(\.status) == unlimited.images.map(\.status), "images are still listed")
    }
}

@Suite("Session traces from raw bodies")
struct RawBodyTraceTests {
    @Test("a CRLF stream with heartbeats: events typed, images found, times from the chunk holding the last byte")
    func crlfStream() throws {
        let body = try Fixtures.stream("images-edit-crlf-heartbeat.sse")
        // Cut in four equal chunks, a second apart.
        let quarter = (body.count + 3) / 4
        let chunks = (0..<4).map { ChunkMark(offset: $0 * quarter, length: min(quarter, body.count - $0 * quarter), time: Double($0 + 1)) }
        let trace = SessionTraceBuilder.build(body: body, chunks: chunks, ending: "complete", isEventStream: true, thumbnails: .standard)
        #expect(trace.events.map(\.type) == ["image_edit.partial_image", "image_edit.completed"])
        #expect(trace.images.map(\.role) == [.partial, .final])
        #expect(trace.images.allSatisfy { $0.status == .ok && $0.thumbnail != nil })
        for event in trace.events {
            let chunk = try #require(chunks.first { $0.offset + $0.length > event.byteEnd - 1 })
            #expect(event.time == chunk.time, "event \(event.index) ends at \(event.byteEnd)")
        }
        #expect(body[trace.events[0].byteEnd - 2] == 0x0D && body[trace.events[0].byteEnd - 1] == 0x0A, "CRLF blank line included")
    }

    @Test("each bundled stream gives its events and its filmstrip, every image whole", arguments: [
        (stream: "images-generate-partial-2.sse", events: 3, frames: ["partial 0", "partial 1", "final 0"]),
        (stream: "images-edit-crlf-heartbeat.sse", events: 2, frames: ["partial 0", "final 0"]),
        (stream: "responses-image-generation.sse", events: 9, frames: ["partial 0", "final 0"]),
    ])
    func bundledStreams(_ example: (stream: String, events: Int, frames: [String])) throws {
        let body = try Fixtures.stream(example.stream)
        let trace = SessionTraceBuilder.build(body: body, chunks: [ChunkMark(offset: 0, length: body.count, time: 0.1)],
                                              ending: "complete", isEventStream: true, thumbnails: .standard)
        #expect(trace.events.count == example.events)
        #expect(trace.images.map { "\($0.role.rawValue) \($0.index)" } == example.frames)
        #expect(trace.images.allSatisfy { $0.status == .ok && $0.thumbnail != nil && $0.format != nil && $0.width != nil })
        #expect(trace.byteCount == body.count)
    }

    @Test("a chunk that ends between a CR and its LF is marked, others are not")
    func splitLineEnds() {
        let body = Array("data: a\r\n\r\ndata: b\r\n\r\n".utf8)
        // Cuts after "data: a\r" (inside CRLF), after "data: a\r\n" (not), after the blank line's CR (inside).
        let cuts = [8, 9, 10, body.count]
        var start = 0
        let chunks = cuts.enumerated().map { index, end in
            defer { start = end }
            return ChunkMark(offset: start, length: end - start, time: Double(index))
        }
        let trace = SessionTraceBuilder.build(body: body, chunks: chunks, ending: "complete", isEventStream: true, thumbnails: .none)
        #expect(trace.chunks.map { $0.splitsLineEnd == true } == [true, false, true, false])
        #expect(trace.events.map(\.time) == [2, 3], "an event is dispatched by its blank line's CR, before the LF arrives")
    }

    @Test("a body that ends inside an event says where that event began; a clean end or a comment does not", arguments: [
        (body: "data: a\n\ndata: {\"type\":\"image_generation.par", start: 9 as Int?),
        (body: "data: a\n\n", start: nil),
        (body: "data: a\n\n: keep-alive", start: nil),
    ])
    func unterminatedEvent(_ example: (body: String, start: Int?)) {
        let body = Array(example.body.utf8)
        let trace = SessionTraceBuilder.build(body: body, chunks: [ChunkMark(offset: 0, length: body.count, time: 1)],
                                              ending: "closed", isEventStream: true, thumbnails: .none)
        #expect(trace.events.count == 1)
        #expect(trace.unterminatedEventStart == example.start)
    }

    @Test("non-JSON data keeps its SSE type, [DONE] shows as [DONE], broken base64 is corrupt")
    func eventTypes() {
        let text = """
            event: ping\ndata: hello\n\n\
            data: {"type":"image_generation.partial_image","partial_image_index":4,"b64_json":"!!!not base64!!!"}\n\n\
            data: [DONE]\n\n
            """
        let trace = SessionTraceBuilder.build(body: Array(text.utf8), chunks: [ChunkMark(offset: 0, length: text.utf8.count, time: 0.5)],
                                              ending: "closed", isEventStream: true, thumbnails: .standard)
        #expect(trace.events.map(\.type) == ["ping", "image_generation.partial_image", "[DONE]"])
        #expect(trace.images.count == 1)
        #expect(trace.images.first?.index == 4)
        #expect(trace.images.first?.status == .corrupt)
        #expect(trace.images.first?.problem?.contains("base64") == true)
        #expect(trace.ending == "closed")
    }

    @Test("chunk marks are capped: bursts merge, stalls stay, all bytes are covered")
    func chunkCap() {
        // 5,000 one-byte chunks: a burst of 2,500 in the first 10 ms, a 3 s stall, then 2,500 more.
        let count = 5_000
        let chunks = (0..<count).map { i in
            ChunkMark(offset: i, length: 1, time: i < 2_500 ? Double(i) * 0.000_004 : 3.0 + Double(i - 2_500) * 0.000_004)
        }
        let body = [UInt8](repeating: UInt8(ascii: ":"), count: count)
        let trace = SessionTraceBuilder.build(body: body, chunks: chunks, ending: "complete", isEventStream: true,
                                              thumbnails: .none, chunkLimit: 100)
        #expect(trace.chunks.count <= 100)
        #expect(trace.chunks.count + trace.chunksOmitted == count)
        #expect(trace.chunks.map(\.length).reduce(0, +) == count)
        #expect(zip(trace.chunks, trace.chunks.dropFirst()).allSatisfy { $0.offset + $0.length == $1.offset })
        let gaps = zip(trace.chunks, trace.chunks.dropFirst()).map { $1.time - $0.time }
        #expect((gaps.max() ?? 0) >= 2.9, "the stall is still visible")

        let few = SessionTraceBuilder.build(body: body, chunks: Array(chunks.prefix(50)), ending: "complete", isEventStream: true, thumbnails: .none)
        #expect(few.chunks == Array(chunks.prefix(50)) && few.chunksOmitted == 0)
    }
}

@Suite("Wire excerpts")
struct WireExcerptTests {
    @Test("line ends and controls are shown, long lines and long bodies are cut with their sizes", arguments: [
        (body: "data: a\r\n\r\n", maxBytes: 100, expected: "data: a\\r\\n\n\\r\\n\n"),
        (body: "a\tb\u{1}\n", maxBytes: 100, expected: "a\\tb\\x01\\n\n"),
        (body: "data: " + String(repeating: "A", count: 1000) + "\n\nnext", maxBytes: 100,
         expected: "data: AAAA… (996 more bytes)\\n\n\\n\nnext"),
        (body: "0123456789", maxBytes: 4, expected: "0123\n… (6 more bytes)"),
    ])
    func excerpt(_ example: (body: String, maxBytes: Int, expected: String)) {
        #expect(WireExcerpt.make(Array(example.body.utf8), maxBytes: example.maxBytes, maxLineBytes: 10) == example.expected)
    }
}
