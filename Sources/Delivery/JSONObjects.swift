/// The objects of one JSON value, found in a single pass over its bytes: each object's members
/// as byte ranges, so a rewrite can replace one value (a status, a sequence number, a 30 MB
/// image) without parsing, copying or re-serializing the rest.
///
/// Written by hand: a JSON library would copy every string (megabytes of base64 per event)
/// and forget where in the bytes each value was; this walk only records ranges, and skips a
/// string eight bytes at a time.
struct JSONObjects {
    /// One object: its byte range (braces included) and its members in order.
    struct Object {
        var range: Range<Int>
        var members: [Member]

        /// The raw value range of the first member named `key`.
        func value(_ key: String) -> Range<Int>? {
            members.first { $0.key == key }?.value
        }
    }

    /// One member: its key, and its value's raw range (a string's quotes included).
    struct Member {
        var key: String
        var value: Range<Int>
    }

    /// Every object, innermost first (an object is listed when it closes), the outermost last.
    private(set) var objects: [Object] = []

    /// The outermost object, when the value is one.
    var top: Object? {
        guard let last = objects.last, last.range.lowerBound == start else { return nil }
        return last
    }

    private let start: Int

    /// Walks the JSON value in `bytes[range]`; stops quietly at the first byte that is not
    /// JSON (what was found up to there is kept).
    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        var index = range.lowerBound
        while index < range.upperBound, Self.isWhitespace(bytes[index]) { index += 1 }
        start = index

        struct Frame {
            var start: Int
            var isObject: Bool
            var members: [Member] = []
            var key: String?
            var expectsKey: Bool
        }
        var stack: [Frame] = []
        func finish(value: Range<Int>) {
            guard let last = stack.indices.last, stack[last].isObject, let key = stack[last].key else { return }
            stack[last].members.append(Member(key: key, value: value))
            stack[last].key = nil
        }

        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            switch byte {
            case ByteScan.quote:
                guard let close = ByteScan.stringEnd(in: bytes, from: index + 1, end: end) else { return }
                if let last = stack.indices.last, stack[last].isObject, stack[last].expectsKey {
                    stack[last].key = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close]), as: UTF8.self)
                    stack[last].expectsKey = false
                } else {
                    finish(value: index..<(close + 1))
                }
                index = close + 1
            case 0x7B, 0x5B: // { [
                stack.append(Frame(start: index, isObject: byte == 0x7B, expectsKey: byte == 0x7B))
                index += 1
            case 0x7D, 0x5D: // } ]
                guard let frame = stack.popLast() else { return }
                if frame.isObject { objects.append(Object(range: frame.start..<(index + 1), members: frame.members)) }
                finish(value: frame.start..<(index + 1))
                index += 1
                if stack.isEmpty { return }
            case 0x2C: // ,
                if let last = stack.indices.last, stack[last].isObject { stack[last].expectsKey = true }
                index += 1
            case 0x3A, 0x20, 0x09, 0x0A, 0x0D: // : and whitespace
                index += 1
            default: // a number, true, false or null
                var scalarEnd = index + 1
                while scalarEnd < end, !Self.endsScalar(bytes[scalarEnd]) { scalarEnd += 1 }
                finish(value: index..<scalarEnd)
                index = scalarEnd
            }
        }
    }

    /// The contents of a string value (without its quotes), or nil when it is not a string.
    static func stringContents(_ value: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard value.count >= 2, bytes[value.lowerBound] == ByteScan.quote else { return nil }
        return (value.lowerBound + 1)..<(value.upperBound - 1)
    }

    /// A string value as text (escapes left as written: the values compared here have none).
    static func string(_ value: Range<Int>?, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let value, let contents = stringContents(value, in: bytes) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[contents]), as: UTF8.self)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x7D || byte == 0x5D || isWhitespace(byte)
    }
}
