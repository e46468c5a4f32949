import SSEWire

/// Ways to cut a stream into chunks, and the oracle every cut must agree with.
enum ChunkSplits {
    /// Everything a parse produces that a client could observe.
    struct Outcome: Equatable, CustomStringConvertible {
        var events: [SSEEvent]
        var end: SSEStreamEnd
        var lastEventID: String
        var reconnectionTime: Int?

        var description: String {
            "\(events.count) events, end \(end), lastEventID \(lastEventID.debugDescription), retry \(reconnectionTime.map(String.init) ?? "nil")"
        }
    }

    static func parse(_ chunks: some Sequence<some Collection<UInt8>>) -> Outcome {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks {
            parser.feed(chunk) { events.append($0) }
        }
        let lastEventID = parser.lastEventID
        let reconnectionTime = parser.reconnectionTime
        return Outcome(events: events, end: parser.finish(), lastEventID: lastEventID, reconnectionTime: reconnectionTime)
    }

    static func whole(_ bytes: [UInt8]) -> Outcome { parse([bytes]) }

    /// Cuts `bytes` at the given offsets (any order, duplicates give empty chunks).
    static func cut(_ bytes: [UInt8], at offsets: [Int]) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        for offset in offsets.map({ min(max($0, 0), bytes.count) }).sorted() {
            chunks.append(bytes[start..<offset])
            start = offset
        }
        chunks.append(bytes[start...])
        return chunks
    }

    /// Cuts `bytes` into consecutive chunks of the given sizes, cycling through them.
    /// A size of 0 gives an empty chunk; sizes that are all 0 would never advance, so they
    /// give the whole stream.
    static func cut(_ bytes: [UInt8], sizes: [Int]) -> [ArraySlice<UInt8>] {
        guard sizes.contains(where: { $0 > 0 }) else { return [bytes[...]] }
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        var turn = 0
        while start < bytes.count {
            let end = min(start + sizes[turn % sizes.count], bytes.count)
            chunks.append(bytes[start..<end])
            start = end
            turn += 1
        }
        return chunks
    }

    /// A place where a cut has broken real clients.
    enum Hazard: String, CaseIterable {
        case insideCRLF, insideMultiByteUTF8, insideBOM, insideDataFieldName, afterFieldColon, insideBlankLineTerminator
    }

    /// Every offset in `bytes` where cutting lands on `hazard`.
    static func offsets(of hazard: Hazard, in bytes: [UInt8]) -> [Int] {
        let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let isLineEnd = { (byte: UInt8) in byte == cr || byte == lf }
        var offsets: [Int] = []
        switch hazard {
        case .insideCRLF:
            for index in bytes.indices.dropLast() where bytes[index] == cr && bytes[index + 1] == lf {
                offsets.append(index + 1)
            }
        case .insideMultiByteUTF8:
            for index in bytes.indices.dropFirst() where bytes[index] & 0xC0 == 0x80 {
                offsets.append(index)
            }
        case .insideBOM:
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offsets = [1, 2] }
        case .insideDataFieldName:
            let name = Array("data:".utf8)
            for index in bytes.indices where bytes[index...].starts(with: name) && (index == 0 || isLineEnd(bytes[index - 1])) {
                offsets.append(contentsOf: (index + 1)...(index + 4))
            }
        case .afterFieldColon:
            for index in bytes.indices where bytes[index] == 0x3A {
                offsets.append(index)
                offsets.append(index + 1)
            }
        case .insideBlankLineTerminator:
            // Between the end of a field line and the blank line's own line end.
            for index in bytes.indices.dropLast() where isLineEnd(bytes[index]) {
                var next = index + 1
                if bytes[index] == cr, bytes[next] == lf { next += 1 }
                if next < bytes.count, isLineEnd(bytes[next]) { offsets.append(next) }
            }
        }
        return offsets
    }
}
