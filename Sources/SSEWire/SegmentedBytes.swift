/// An event's data as it arrives: a list of segments rather than one growing array, so a
/// 30 MB value is never copied to grow, and the segments are reused by the next event.
/// Memory stays at the size of the largest event seen.
struct SegmentedBytes: Sendable {
    private var segments: [[UInt8]] = []
    /// Index of the segment being filled.
    private var current = 0
    private(set) var count = 0

    private static let firstSegmentSize = 4 << 10
    private static let largestSegmentSize = 1 << 20

    var isEmpty: Bool { count == 0 }

    mutating func append(_ byte: UInt8) {
        if current == segments.count || segments[current].count == segments[current].capacity {
            advance()
        }
        segments[current].append(byte)
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        while start < bytes.count {
            if current == segments.count || segments[current].count == segments[current].capacity {
                advance()
            }
            let end = min(bytes.count, start + segments[current].capacity - segments[current].count)
            segments[current].append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            start = end
        }
        count += bytes.count
    }

    /// Moves on to a segment with room: one kept from an earlier event, or a new one twice
    /// the size of the last, up to a megabyte.
    private mutating func advance() {
        if current < segments.count { current += 1 }
        guard current == segments.count else { return }
        let size = segments.last.map { min($0.capacity * 2, Self.largestSegmentSize) } ?? Self.firstSegmentSize
        var segment: [UInt8] = []
        segment.reserveCapacity(size)
        segments.append(segment)
    }

    /// The first `length` bytes as a String; invalid UTF-8 becomes U+FFFD. One copy.
    func makeString(length: Int) -> String {
        String(unsafeUninitializedCapacity: length) { output in
            var written = 0
            for segment in segments where written < length {
                let piece = segment.prefix(length - written)
                _ = UnsafeMutableBufferPointer(rebasing: output[written..<(written + piece.count)]).initialize(from: piece)
                written += piece.count
            }
            return written
        }
    }

    /// Empties the buffer and keeps its segments for the next event.
    mutating func removeAll() {
        for index in segments.indices.prefix(current + 1) {
            segments[index].removeAll(keepingCapacity: true)
        }
        current = 0
        count = 0
    }

    /// Empties the buffer and frees its memory.
    mutating func release() {
        self = SegmentedBytes()
    }
}
