import Foundation
import ImageCodecs
import ImageFormats
import Reports
import SSEWire

/// Turns a response body and its chunk arrivals into the ``SessionTrace`` that a report's
/// timeline and filmstrip draw.
public enum SessionTraceBuilder {
    /// Chunk marks kept whole; the rest are merged (and counted in `chunksOmitted`).
    public static let defaultChunkLimit = 2_000

    /// - Parameters:
    ///   - body: The body's exact bytes.
    ///   - chunks: Where the body was cut as it arrived, and when.
    ///   - ending: How the body ended: `complete`, `closed`, `reset`, `timeout`, or a
    ///     recording's own ending name.
    ///   - isEventStream: Parse the body as Server-Sent Events; otherwise as one JSON body
    ///     whose `data[i].b64_json` are final images.
    ///   - thumbnails: Whether images get thumbnails, and how many bytes of them.
    ///   - expectedFinalImages: When given, each final image short of this count is added as
    ///     a `missing` frame.
    ///   - chunkLimit: At most this many chunk marks.
    public static func build(
        body: [UInt8],
        chunks: [ChunkMark],
        ending: String,
        isEventStream: Bool,
        thumbnails: ThumbnailPolicy,
        expectedFinalImages: Int? = nil,
        chunkLimit: Int = defaultChunkLimit
    ) -> SessionTrace {
        let timeline = ChunkTimeline(markingSplitLineEnds(chunks, in: body))
        var frames = FrameCollector(thumbnails: thumbnails)
        var events: [EventMark] = []

        var unterminatedEventStart: Int?
        if isEventStream {
            let (parsed, end) = SSEParser.parse(body)
            if case .midEvent(let block) = end, block.heldData { unterminatedEventStart = block.byteRange.lowerBound }
            for (position, event) in parsed.enumerated() {
                let object = jsonObject(event.data)
                let type = eventType(event, object: object)
                let end = event.byteRange.upperBound
                let time = timeline.time(ofByte: end)
                events.append(EventMark(index: position, type: type, byteStart: event.byteRange.lowerBound,
                                        byteEnd: endOfLineEnd(body, at: end), time: time))
                if let object {
                    for payload in ImagePayload.inEvent(object, type: type) { frames.add(payload, time: time) }
                }
            }
        } else if let object = jsonObject(body) {
            let time = timeline.marks.last?.time ?? 0
            for payload in ImagePayload.inBody(object) { frames.add(payload, time: time) }
        }
        if let expectedFinalImages {
            frames.addMissingFinals(upTo: expectedFinalImages, time: timeline.marks.last?.time ?? 0)
        }
        let (marks, omitted) = timeline.capped(at: chunkLimit)
        return SessionTrace(chunks: marks, chunksOmitted: omitted, events: events, images: frames.frames,
                            ending: ending, byteCount: body.count, unterminatedEventStart: unterminatedEventStart)
    }

    /// The chunks, each that ends between a CR and its LF marked.
    static func markingSplitLineEnds(_ chunks: [ChunkMark], in body: [UInt8]) -> [ChunkMark] {
        chunks.map { chunk in
            let end = chunk.offset + chunk.length
            var marked = chunk
            if end > 0, end < body.count, body[end - 1] == 0x0D, body[end] == 0x0A { marked.splitsLineEnd = true }
            return marked
        }
    }

    /// The `type` of an event's JSON data; `[DONE]` for the stream's closing sentinel; the
    /// SSE event type otherwise.
    static func eventType(_ event: SSEEvent, object: [String: Any]?) -> String {
        if let type = object?["type"] as? String { return type }
        if event.data == "[DONE]" { return "[DONE]" }
        return event.type
    }

    static func jsonObject(_ text: String) -> [String: Any]? {
        guard text.first == "{" else { return nil }
        return jsonObject(Array(text.utf8))
    }

    static func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    }

    /// The offset just past the line end that starts at `offset` (two bytes for CRLF).
    static func endOfLineEnd(_ body: [UInt8], at offset: Int) -> Int {
        guard offset < body.count else { return body.count }
        if body[offset] == 0x0D, offset + 1 < body.count, body[offset + 1] == 0x0A { return offset + 2 }
        return offset + 1
    }
}
