import Reports

/// The chunks of a body with their arrival times: which chunk holds a byte, and the marks a
/// report draws, merged down to a limit.
struct ChunkTimeline {
    let marks: [ChunkMark]
    /// The offset just past each chunk.
    private let ends: [Int]

    init(_ marks: [ChunkMark]) {
        self.marks = marks
        self.ends = marks.map { $0.offset + $0.length }
    }

    /// When the byte at `offset` arrived: the time of the first chunk that ends past it, or
    /// the last chunk's time (0 without chunks).
    func time(ofByte offset: Int) -> Double {
        var (low, high) = (0, ends.count)
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] > offset { high = middle } else { low = middle + 1 }
        }
        if low < marks.count { return marks[low].time }
        return marks.last?.time ?? 0
    }

    /// At most `limit` marks. Chunks that arrive within the same slice of time (the session's
    /// duration over `limit`) merge, so a burst becomes one mark while a stall stays a gap;
    /// if that is still too many, neighbours merge in equal groups. A merged mark spans its
    /// chunks' bytes and carries the time (and the line-end split) of the last one.
    func capped(at limit: Int) -> (marks: [ChunkMark], omitted: Int) {
        guard limit > 0, marks.count > limit else { return (marks, 0) }
        let start = marks.first!.time, span = max(marks.last!.time - start, 0)
        var merged: [ChunkMark] = []
        var currentSlice = -1
        for mark in marks {
            let slice = span > 0 ? Int((mark.time - start) / span * Double(limit - 1)) : 0
            if slice == currentSlice, var last = merged.popLast() {
                last.length = mark.offset + mark.length - last.offset
                last.time = mark.time
                last.splitsLineEnd = mark.splitsLineEnd
                merged.append(last)
            } else {
                merged.append(mark)
                currentSlice = slice
            }
        }
        if merged.count > limit {
            let group = (merged.count + limit - 1) / limit
            merged = stride(from: 0, to: merged.count, by: group).map { first in
                let last = merged[min(first + group, merged.count) - 1]
                return ChunkMark(offset: merged[first].offset, length: last.offset + last.length - merged[first].offset,
                                 time: last.time, splitsLineEnd: last.splitsLineEnd)
            }
        }
        return (merged, marks.count - merged.count)
    }
}
