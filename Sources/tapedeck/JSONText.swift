/// Writes JSON text. Written by hand because the event data it quotes can be tens of
/// megabytes of base64: runs that need no escaping are handed on in one piece, uncopied.
enum JSONText {
    static func writeString(_ string: String, to output: inout DescriptorWriter) throws(OutputClosed) {
        var string = string
        try output.append(0x22)
        let result: Result<Void, OutputClosed> = string.withUTF8 { bytes in
            do throws(OutputClosed) {
                var runStart = 0
                var index = 0
                while true {
                    index = firstByteNeedingEscape(in: bytes, from: index)
                    try output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    guard index < bytes.count else { return .success(()) }
                    try output.append(contentsOf: escape(for: bytes[index]))
                    index += 1
                    runStart = index
                }
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        try output.append(0x22)
    }

    static func writeKey(_ key: StaticString, to output: inout DescriptorWriter) throws(OutputClosed) {
        try output.append(0x22)
        try output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        try output.append(contentsOf: [0x22, 0x3A])
    }

    static func writeInteger(_ value: Int, to output: inout DescriptorWriter) throws(OutputClosed) {
        try output.append(contentsOf: String(value).utf8)
    }

    /// The first quote, backslash or control character at or after `start`, eight bytes a step.
    private static func firstByteNeedingEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let zeroInQuote = (quote &- ones) & ~quote
                let zeroInBackslash = (backslash &- ones) & ~backslash
                // Flags bytes below 0x20 (and, through borrows, sometimes a neighbour: checked below).
                let belowSpace = ((word & ~highs) &- (ones &* 0x20)) & ~word
                if (zeroInQuote | zeroInBackslash | belowSpace) & highs != 0 {
                    for offset in index..<(index + 8) where needsEscape(base[offset]) { return offset }
                }
                index += 8
            }
        }
        while index < bytes.count, !needsEscape(bytes[index]) {
            index += 1
        }
        return index
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    private static func escape(for byte: UInt8) -> [UInt8] {
        switch byte {
        case 0x22: return [0x5C, 0x22]
        case 0x5C: return [0x5C, 0x5C]
        case 0x0A: return [0x5C, 0x6E] // \n
        case 0x0D: return [0x5C, 0x72] // \r
        case 0x09: return [0x5C, 0x74] // \t
        case 0x08: return [0x5C, 0x62] // \b
        case 0x0C: return [0x5C, 0x66] // \f
        default:
            let hex = Array("0123456789abcdef".utf8)
            return [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
        }
    }
}
