/// Byte-level helpers shared by the planner: finding line ends, non-ASCII bytes and colons
/// eight bytes per step, and searching a body for short ASCII patterns.
///
/// Bodies can be tens of megabytes of base64 on one line; every scan here looks at each byte
/// once and skips runs of plain ASCII a word at a time, so planning stays cheap even in a
/// debug build.
enum ByteScan {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let colon: UInt8 = 0x3A
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    @inline(__always)
    static func isLineEnd(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }

    /// The first index at or after `start` (and before `end`) whose byte is a CR or LF, or
    /// (when `nonASCII`) 0x80 or above, or (when `colons`) a colon. Returns `end` when none.
    @inline(__always)
    static func firstInteresting(
        in bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        to end: Int,
        nonASCII: Bool,
        colons: Bool
    ) -> Int {
        var index = start
        guard let base = bytes.baseAddress else { return end }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let carriageReturns: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
        let colonBytes: UInt64 = 0x3A3A_3A3A_3A3A_3A3A
        let highMask: UInt64 = nonASCII ? highs : 0
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let lf = word ^ lineFeeds
            let cr = word ^ carriageReturns
            // A byte of `x` is zero exactly where the word held the byte searched for. The
            // lowest flagged byte of each term is always a true match, so the lowest flagged
            // byte of their union is too.
            var found = ((lf &- ones) & ~lf) | ((cr &- ones) & ~cr)
            if colons {
                let co = word ^ colonBytes
                found |= (co &- ones) & ~co
            }
            found = (found & highs) | (word & highMask)
            if found != 0 {
                return index &+ (found.trailingZeroBitCount >> 3)
            }
            index &+= 8
        }
        while index < end {
            let byte = base[index]
            if byte == lineFeed || byte == carriageReturn || (nonASCII && byte >= 0x80) || (colons && byte == colon) {
                return index
            }
            index &+= 1
        }
        return end
    }

    /// The first index in `start..<end` whose byte is one of `targets` (one to four values), or
    /// `end`. Eight bytes per step, like ``firstInteresting(in:from:to:nonASCII:colons:)``.
    static func firstIndex(ofAny targets: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        precondition((1...4).contains(targets.count))
        guard let base = bytes.baseAddress else { return end }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let a = UInt64(targets[0]) &* ones
        let b = UInt64(targets[targets.count > 1 ? 1 : 0]) &* ones
        let c = UInt64(targets[targets.count > 2 ? 2 : 0]) &* ones
        let d = UInt64(targets[targets.count > 3 ? 3 : 0]) &* ones
        var index = start
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let xa = word ^ a, xb = word ^ b, xc = word ^ c, xd = word ^ d
            let found = (((xa &- ones) & ~xa) | ((xb &- ones) & ~xb) | ((xc &- ones) & ~xc) | ((xd &- ones) & ~xd)) & highs
            if found != 0 {
                return index &+ (found.trailingZeroBitCount >> 3)
            }
            index &+= 8
        }
        while index < end {
            if targets.contains(base[index]) { return index }
            index &+= 1
        }
        return end
    }

    /// The first line end (CR or LF) at or after `start`, or `bytes.count`.
    static func firstLineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        firstInteresting(in: bytes, from: start, to: bytes.count, nonASCII: false, colons: false)
    }

    /// The first line end of `bytes` as written: CRLF, CR or LF; nil when there is none.
    static func firstLineEnding(in bytes: [UInt8]) -> LineEndingRewrite? {
        bytes.withUnsafeBufferPointer { buffer in
            let index = firstLineEnd(in: buffer, from: 0)
            guard index < buffer.count else { return nil }
            if buffer[index] == lineFeed { return .lf }
            return index + 1 < buffer.count && buffer[index + 1] == lineFeed ? .crlf : .cr
        }
    }

    /// Every start index of `pattern` in `bytes[range]`, in order, without overlaps.
    static func occurrences(of pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> [Int] {
        var found: [Int] = []
        var index = range.lowerBound
        while let match = firstOccurrence(of: pattern, in: bytes, range: index..<range.upperBound) {
            found.append(match)
            index = match + pattern.count
        }
        return found
    }

    /// The first start index of `pattern` in `bytes[range]`.
    static func firstOccurrence(of pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        guard let first = pattern.first, range.count >= pattern.count else { return nil }
        let last = range.upperBound - pattern.count
        var index = range.lowerBound
        while index <= last {
            index = firstIndex(ofAny: [first], in: bytes, from: index, to: last + 1)
            guard index <= last else { return nil }
            var matched = 1
            while matched < pattern.count, bytes[index + matched] == pattern[matched] { matched += 1 }
            if matched == pattern.count { return index }
            index += 1
        }
        return nil
    }

    /// The raw bytes (between the quotes) of the JSON string value of the first `"key"` in
    /// `bytes[range]` that is followed by a colon and a string. Whitespace around the colon is
    /// allowed. This is a plain text search, not a JSON parser: it finds the first such key at
    /// any nesting depth, which for OpenAI's compact, type-first objects is the top-level one.
    static func firstStringValue(forKey key: String, in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Range<Int>? {
        stringValues(forKey: key, in: bytes, range: range, limit: 1).first
    }

    /// The raw value ranges of every `"key": "…"` string member in `bytes[range]`.
    static func stringValues(forKey key: String, in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, limit: Int = .max) -> [Range<Int>] {
        let pattern = Array("\"\(key)\"".utf8)
        var values: [Range<Int>] = []
        var index = range.lowerBound
        while values.count < limit, let match = firstOccurrence(of: pattern, in: bytes, range: index..<range.upperBound) {
            index = match + pattern.count
            guard let valueStart = afterColon(in: bytes, from: index, end: range.upperBound, expecting: quote) else { continue }
            guard let valueEnd = stringEnd(in: bytes, from: valueStart + 1, end: range.upperBound) else { break }
            values.append((valueStart + 1)..<valueEnd)
            index = valueEnd + 1
        }
        return values
    }

    /// The non-negative integer value of the first `"key": N` member in `bytes[range]`.
    static func firstIntegerValue(forKey key: String, in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        let pattern = Array("\"\(key)\"".utf8)
        var index = range.lowerBound
        while let match = firstOccurrence(of: pattern, in: bytes, range: index..<range.upperBound) {
            index = match + pattern.count
            guard let digitsStart = afterColon(in: bytes, from: index, end: range.upperBound, expecting: nil) else { continue }
            var value = 0
            var cursor = digitsStart
            while cursor < range.upperBound, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, value < Int.max / 10 - 10 {
                value = value * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
            }
            if cursor > digitsStart { return value }
        }
        return nil
    }

    /// After optional spaces, a colon and optional spaces: the index of the next byte, which
    /// must equal `expecting` when given.
    private static func afterColon(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, expecting: UInt8?) -> Int? {
        var index = start
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < end, bytes[index] == colon else { return nil }
        index += 1
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < end else { return nil }
        if let expecting, bytes[index] != expecting { return nil }
        return index
    }

    /// The index of the quote that closes a JSON string whose contents start at `start`, or nil
    /// when a line end or `end` comes first.
    static func stringEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        var index = start
        while index < end {
            index = firstIndex(ofAny: [quote, backslash, carriageReturn, lineFeed], in: bytes, from: index, to: end)
            guard index < end else { return nil }
            let byte = bytes[index]
            if byte == quote { return index }
            if byte == backslash { index += 2; continue }
            return nil // a line end
        }
        return nil
    }
}
