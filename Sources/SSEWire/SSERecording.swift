/// A stream's bytes exactly as they arrived, with the chunk boundaries they arrived in.
/// Replaying it hands out slices of the one buffer: no payload is copied per chunk.
public struct SSERecording: Hashable, Sendable {
    public let bytes: [UInt8]
    /// The end offset of each chunk, ascending; the last is `bytes.count`.
    public let chunkEnds: [Int]

    /// - Throws: when the boundaries do not cut `bytes` into non-empty, ordered chunks.
    public init(bytes: [UInt8], chunkEnds: [Int]) throws(SSERecordingError) {
        var previous = 0
        for end in chunkEnds {
            guard end > previous, end <= bytes.count else { throw .invalidChunkEnd(end, previous: previous, total: bytes.count) }
            previous = end
        }
        guard previous == bytes.count else { throw .bytesAfterLastChunk(covered: previous, total: bytes.count) }
        self.bytes = bytes
        self.chunkEnds = chunkEnds
    }

    /// A recording of `bytes` received in one piece.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.chunkEnds = bytes.isEmpty ? [] : [bytes.count]
    }

    /// The chunks, in order, as slices of `bytes`.
    public var chunks: some RandomAccessCollection<ArraySlice<UInt8>> {
        chunkEnds.indices.lazy.map { index in
            let start = index == 0 ? 0 : chunkEnds[index - 1]
            return bytes[start..<chunkEnds[index]]
        }
    }

    /// The exact bytes of an event as it was written, blank-line terminator included.
    public func bytes(of event: SSEEvent) -> ArraySlice<UInt8> {
        var end = event.byteRange.upperBound + 1
        if bytes[event.byteRange.upperBound] == ASCII.carriageReturn, end < bytes.count, bytes[end] == ASCII.lineFeed {
            end += 1
        }
        return bytes[event.byteRange.lowerBound..<end]
    }
}

public enum SSERecordingError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidChunkEnd(Int, previous: Int, total: Int)
    case bytesAfterLastChunk(covered: Int, total: Int)

    public var description: String {
        switch self {
        case .invalidChunkEnd(let end, let previous, let total):
            "chunk end \(end) must be greater than the previous one (\(previous)) and at most the byte count (\(total))"
        case .bytesAfterLastChunk(let covered, let total):
            "the chunks cover \(covered) of \(total) bytes; the last chunk end must equal the byte count"
        }
    }
}
