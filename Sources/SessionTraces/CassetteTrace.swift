import Cassette
import Foundation
import Reports

extension SessionTraceBuilder {
    /// The trace of a cassette's response: its chunks at their recorded times, its events,
    /// its images. A successful event stream is expected to end with one final image per
    /// requested image (`n`, or 1), so one that never came shows as missing.
    public static func build(cassette: Cassette, thumbnails: ThumbnailPolicy) -> SessionTrace {
        let response = cassette.response
        let isEventStream = cassette.isEventStream
        let succeeded = (200..<300).contains(response.status)
        return build(
            body: response.recording.bytes,
            chunks: chunkMarks(of: response),
            ending: response.ending.rawValue,
            isEventStream: isEventStream,
            thumbnails: thumbnails,
            expectedFinalImages: isEventStream && succeeded ? requestedImageCount(cassette) : nil
        )
    }

    /// Each recorded chunk with its arrival time in seconds.
    public static func chunkMarks(of response: RecordedResponse) -> [ChunkMark] {
        response.arrivals.map { chunk in
            let (seconds, attoseconds) = chunk.at.components
            return ChunkMark(offset: chunk.offset, length: chunk.length, time: Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    static func requestedImageCount(_ cassette: Cassette) -> Int {
        guard let text = cassette.requestFieldsJSON,
              let object = jsonObject(Array(text.utf8)) else { return 1 }
        if let n = object["n"] as? Int { return n }
        if let n = (object["n"] as? String).flatMap(Int.init) { return n }
        return 1
    }
}
