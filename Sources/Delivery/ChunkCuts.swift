import Reproducible

/// Where each chunking cuts a body. Offsets are cut points: a cut at `c` ends one fragment
/// before byte `c` and starts the next at it.
enum ChunkCuts {
    /// How many seeded random cuts `.adversarial` adds on top of the structural ones.
    static let adversarialRandomCuts = 8
    /// The largest `.random` fragment.
    static let randomMaximum = 4096

    /// Seeded `.random` fragments covering `0..<end`.
    ///
    /// Sizes are log-uniform: an exponent `e` is drawn uniformly from 0…12, then a size
    /// uniformly from `2^e ..< 2^(e+1)`, capped at 4096. Small writes are as likely as large
    /// ones per octave, so about half the fragments are under 64 bytes (where clients trip),
    /// while the mean (about 790 bytes) keeps a 24 MiB body to some 32 000 fragments.
    static func randomPieces(end: Int, seed: UInt64) -> [Range<Int>] {
        var generator = SplitMix64(seed: seed)
        var pieces: [Range<Int>] = []
        var start = 0
        while start < end {
            let low = 1 << generator.below(13)
            let size = min(randomMaximum, low + generator.below(low))
            let stop = min(end, start + size)
            pieces.append(start..<stop)
            start = stop
        }
        return pieces
    }

    /// `.recorded` fragments: the recorded chunk lengths laid over `0..<end` from the start,
    /// each waiting the gap since the previous chunk's arrival (the first, its arrival time
    /// itself) times `timeScale`. Negative gaps count as zero; a zero-length chunk passes its
    /// wait on to the next. When the body was rewritten to a different length the boundaries
    /// are kept by position: bytes past the recording become one last fragment without a
    /// wait, and recorded chunks past `end` are dropped.
    static func recordedPieces(end: Int, chunks: [(length: Int, at: Duration)], timeScale: Double) -> [(Range<Int>, Duration)] {
        let scale = timeScale.isFinite && timeScale > 0 ? timeScale : 0
        var pieces: [(Range<Int>, Duration)] = []
        var start = 0
        var previousArrival = Duration.zero
        var pendingDelay = Duration.zero
        for chunk in chunks {
            guard start < end else { break }
            let gap = chunk.at - previousArrival
            previousArrival = chunk.at
            if gap > .zero, scale > 0 { pendingDelay += gap * scale }
            guard chunk.length > 0 else { continue }
            let stop = min(end, start + chunk.length)
            pieces.append((start..<stop, pendingDelay))
            pendingDelay = .zero
            start = stop
        }
        if start < end { pieces.append((start..<end, .zero)) }
        return pieces
    }

    /// `.adversarial` cut points in `body[0..<end]`, ascending and unique, none at 0 or `end`:
    ///
    /// - inside every CRLF (between the CR and the LF);
    /// - inside every `data` field name at a line start (after `d`, `da`, `dat` and `data`);
    /// - right before and right after the colon of every field line (the first colon of a
    ///   line that does not start with one; comment lines have no field colon);
    /// - before every UTF-8 continuation byte, which splits every multi-byte sequence at each
    ///   of its interior positions, a leading BOM's included (cuts at 1 and 2);
    /// - between the two line ends of every blank-line terminator (where a line end is
    ///   directly followed by another);
    /// - plus ``adversarialRandomCuts`` seeded cuts anywhere.
    ///
    /// Everything else, such as the inside of a 24 MiB base64 value, stays in large pieces.
    /// One pass over the body, skipping plain ASCII eight bytes at a time.
    static func adversarialCuts(in body: [UInt8], end: Int, seed: UInt64) -> [Int] {
        var cuts: [Int] = []
        body.withUnsafeBufferPointer { whole in
            let bytes = UnsafeBufferPointer(rebasing: whole[0..<end])
            let count = bytes.count
            var index = 0
            if bytes.starts(with: ByteScan.byteOrderMark) {
                cuts += [1, 2]
                index = 3
            }
            var atLineStart = true
            var inFieldName = false
            let dataName: [UInt8] = [0x64, 0x61, 0x74, 0x61]
            while index < count {
                if atLineStart {
                    atLineStart = false
                    let first = bytes[index]
                    inFieldName = !ByteScan.isLineEnd(first) && first != ByteScan.colon
                    if inFieldName, index + 4 <= count, bytes[index..<(index + 4)].elementsEqual(dataName),
                       index + 4 == count || bytes[index + 4] == ByteScan.colon || ByteScan.isLineEnd(bytes[index + 4]) {
                        cuts += [index + 1, index + 2, index + 3, index + 4]
                    }
                }
                let found = ByteScan.firstInteresting(in: bytes, from: index, to: count, nonASCII: true, colons: inFieldName)
                guard found < count else { break }
                let byte = bytes[found]
                if ByteScan.isLineEnd(byte) {
                    var next = found + 1
                    if byte == ByteScan.carriageReturn, next < count, bytes[next] == ByteScan.lineFeed {
                        cuts.append(next)
                        next += 1
                    }
                    if next < count, ByteScan.isLineEnd(bytes[next]) { cuts.append(next) }
                    index = next
                    atLineStart = true
                } else if byte == ByteScan.colon, inFieldName {
                    cuts += [found, found + 1]
                    inFieldName = false
                    index = found + 1
                } else {
                    if byte & 0xC0 == 0x80 { cuts.append(found) }
                    index = found + 1
                }
            }
        }
        if end > 1 {
            var generator = SplitMix64(seed: seed)
            for _ in 0..<adversarialRandomCuts {
                cuts.append(1 + generator.below(end - 1))
            }
        }
        cuts.sort()
        var unique: [Int] = []
        unique.reserveCapacity(cuts.count)
        for cut in cuts where cut > 0 && cut < end && cut != unique.last {
            unique.append(cut)
        }
        return unique
    }
}

extension Fragments {
    /// How `0..<end` is cut before stalls are applied.
    enum Base {
        /// Fragments of this many bytes from 0.
        case uniform(Int)
        /// These consecutive, non-empty pieces, each with its wait.
        case pieces([(Range<Int>, Duration)])
    }

    /// The fragments of `0..<end` cut as `base` says, then also cut at each stall's offset,
    /// with the stall's wait added to the fragment that starts there. A uniform grid stays
    /// aligned to 0: a stall inside a fixed-size fragment splits just that fragment in two.
    /// Stalls at or past `end` are returned as the wait before the ending.
    static func build(end: Int, base: Base, stalls: [(offset: Int, delay: Duration)]) -> (fragments: Fragments, finalDelay: Duration) {
        var runs: [Run]
        switch base {
        case .uniform(let size):
            runs = end > 0 ? [Run(start: 0, end: end, size: Swift.max(1, Swift.min(size, end)), delay: .zero)] : []
        case .pieces(let pieces):
            runs = pieces.map { Run(start: $0.0.lowerBound, end: $0.0.upperBound, size: $0.0.count, delay: $0.1) }
        }
        var finalDelay = Duration.zero
        for stall in stalls.sorted(by: { $0.offset < $1.offset }) {
            let offset = Swift.max(0, stall.offset)
            guard offset < end else {
                finalDelay += stall.delay
                continue
            }
            // The run holding `offset`: the last one starting at or before it.
            var low = 0
            var high = runs.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if runs[middle].start <= offset { low = middle } else { high = middle - 1 }
            }
            let run = runs[low]
            if run.start == offset {
                runs[low].delay += stall.delay
                continue
            }
            let gridPoint = run.start + (offset - run.start) / run.size * run.size
            var replacement = [Run(start: run.start, end: offset, size: run.size, delay: run.delay)]
            if gridPoint == offset {
                replacement.append(Run(start: offset, end: run.end, size: run.size, delay: stall.delay))
            } else {
                let nextGridPoint = Swift.min(run.end, gridPoint + run.size)
                replacement.append(Run(start: offset, end: nextGridPoint, size: nextGridPoint - offset, delay: stall.delay))
                if nextGridPoint < run.end {
                    replacement.append(Run(start: nextGridPoint, end: run.end, size: run.size, delay: .zero))
                }
            }
            runs.replaceSubrange(low...low, with: replacement)
        }
        return (Fragments(runs: runs), finalDelay)
    }
}
