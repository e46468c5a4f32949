/// Where the parser is inside the current line.
enum LineState: Sendable {
    /// No byte of the line yet.
    case start
    /// Reading a field name; the bytes so far are in `fieldName`.
    case name
    /// Right after the colon: one U+0020 here is dropped.
    case afterColon(Field)
    /// Reading a field's value.
    case value(Field)
    /// A comment, an unknown field, or a line of an oversized block: read to its end, keep nothing.
    case ignored

    func isDataField(named name: [UInt8]) -> Bool {
        switch self {
        case .afterColon(.data), .value(.data): true
        case .name: Field(name: name) == .data
        default: false
        }
    }
}

/// The fields WHATWG gives meaning to. Names are compared byte for byte: `Data` is unknown.
enum Field: Sendable {
    case data, event, id, retry

    /// The longest known name is five bytes; a longer one is unknown without looking further.
    static let longestName = 5

    init?(name: [UInt8]) {
        switch name {
        case [0x64, 0x61, 0x74, 0x61]: self = .data
        case [0x65, 0x76, 0x65, 0x6E, 0x74]: self = .event
        case [0x69, 0x64]: self = .id
        case [0x72, 0x65, 0x74, 0x72, 0x79]: self = .retry
        default: return nil
        }
    }
}

enum ByteOrderMarkState: Sendable {
    /// At the stream's start: how many bytes of EF BB BF have matched so far.
    case pending(matched: Int)
    case resolved
}

private let byteOrderMarkBytes: [UInt8] = [0xEF, 0xBB, 0xBF]

extension SSEParser {
    /// Strips exactly one leading BOM, even one split across chunks. Returns where the rest of
    /// the chunk starts.
    mutating func consumeByteOrderMark(_ chunk: UnsafeBufferPointer<UInt8>, onEvent: (SSEEvent) -> Void) -> Int {
        guard case .pending(var matched) = byteOrderMark else { return 0 }
        var index = 0
        while index < chunk.count {
            guard chunk[index] == byteOrderMarkBytes[matched] else {
                // Not a BOM after all: the bytes held back are the stream's first text.
                byteOrderMark = .resolved
                if matched > 0 {
                    Self.withByteOrderMarkPrefix(matched) { scan($0, from: 0, chunkOffset: 0, onEvent: onEvent) }
                }
                return index
            }
            bytesExamined += 1
            matched += 1
            index += 1
            if matched == byteOrderMarkBytes.count {
                byteOrderMark = .resolved
                return index
            }
        }
        byteOrderMark = .pending(matched: matched)
        return index
    }

    static func withByteOrderMarkPrefix(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        byteOrderMarkBytes[..<count].withUnsafeBufferPointer(body)
    }

    /// Reads `chunk[start...]`, whose first byte is at `chunkOffset + start` in the stream.
    mutating func scan(
        _ chunk: UnsafeBufferPointer<UInt8>,
        from start: Int,
        chunkOffset: Int,
        onEvent: (SSEEvent) -> Void
    ) {
        let count = chunk.count
        var index = start
        if skipLineFeed, index < count {
            skipLineFeed = false
            if chunk[index] == ASCII.lineFeed {
                bytesExamined += 1
                index += 1
            }
        }
        while index < count {
            switch line {
            case .value, .ignored:
                let end = firstLineEnd(in: chunk, from: index)
                bytesExamined += end - index
                if case .value(let field) = line, end > index {
                    appendValue(UnsafeBufferPointer(rebasing: chunk[index..<end]), of: field)
                }
                guard end < count else { return }
                endLine(atOffset: chunkOffset + end, onEvent: onEvent)
                index = lineEndLength(chunk, at: end)

            case .start:
                let byte = chunk[index]
                bytesExamined += 1
                if byte == ASCII.lineFeed || byte == ASCII.carriageReturn {
                    dispatch(atOffset: chunkOffset + index, onEvent: onEvent)
                    index = lineEndLength(chunk, at: index)
                    continue
                }
                if blockStart == nil { blockStart = chunkOffset + index }
                if byte == ASCII.colon || blockOverflowed {
                    line = .ignored
                } else {
                    fieldName.removeAll(keepingCapacity: true)
                    fieldName.append(byte)
                    line = .name
                }
                index += 1

            case .name:
                let byte = chunk[index]
                bytesExamined += 1
                if byte == ASCII.colon {
                    line = Field(name: fieldName).map { .afterColon($0) } ?? .ignored
                    index += 1
                } else if byte == ASCII.lineFeed || byte == ASCII.carriageReturn {
                    endLine(atOffset: chunkOffset + index, onEvent: onEvent)
                    index = lineEndLength(chunk, at: index)
                } else {
                    fieldName.append(byte)
                    if fieldName.count > Field.longestName { line = .ignored }
                    index += 1
                }

            case .afterColon(let field):
                line = .value(field)
                if chunk[index] == ASCII.space {
                    bytesExamined += 1
                    index += 1
                }
            }
        }
    }

    /// The index after the line end at `index`. A CR that ends the chunk may be the first half
    /// of a CRLF: remember to drop an LF that starts the next chunk.
    private mutating func lineEndLength(_ chunk: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        guard chunk[index] == ASCII.carriageReturn else { return index + 1 }
        let next = index + 1
        if next == chunk.count {
            skipLineFeed = true
            return next
        }
        if chunk[next] == ASCII.lineFeed {
            bytesExamined += 1
            return next + 1
        }
        return next
    }
}
