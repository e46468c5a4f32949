/// Bounds-checked big- and little-endian reads from a raw buffer. Every read returns nil
/// instead of trapping when any of its bytes lies outside the buffer.
struct ByteView {
    let buffer: UnsafeRawBufferPointer

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var count: Int { buffer.count }

    /// True when `length` bytes starting at `offset` are all inside the buffer.
    @inline(__always)
    func has(_ length: Int, at offset: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    @inline(__always)
    func u8(_ offset: Int) -> UInt8? {
        has(1, at: offset) ? buffer[offset] : nil
    }

    func be16(_ offset: Int) -> Int? {
        guard has(2, at: offset) else { return nil }
        return Int(buffer[offset]) << 8 | Int(buffer[offset + 1])
    }

    func be32(_ offset: Int) -> UInt32? {
        guard has(4, at: offset) else { return nil }
        return UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16
            | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }

    func le16(_ offset: Int) -> Int? {
        guard has(2, at: offset) else { return nil }
        return Int(buffer[offset]) | Int(buffer[offset + 1]) << 8
    }

    func le24(_ offset: Int) -> Int? {
        guard has(3, at: offset) else { return nil }
        return Int(buffer[offset]) | Int(buffer[offset + 1]) << 8 | Int(buffer[offset + 2]) << 16
    }

    func le32(_ offset: Int) -> UInt32? {
        guard has(4, at: offset) else { return nil }
        return UInt32(buffer[offset]) | UInt32(buffer[offset + 1]) << 8
            | UInt32(buffer[offset + 2]) << 16 | UInt32(buffer[offset + 3]) << 24
    }

    /// Up to `length` bytes from `offset`, clipped to the buffer.
    func bytes(_ offset: Int, _ length: Int) -> [UInt8] {
        guard offset >= 0, offset < count, length > 0 else { return [] }
        let end = offset + min(length, count - offset)
        return Array(buffer[offset..<end])
    }

    /// The four bytes at `offset` as text, when they are all printable ASCII.
    func fourCC(_ offset: Int, lettersOnly: Bool) -> String? {
        guard has(4, at: offset) else { return nil }
        var scalars = String.UnicodeScalarView()
        for i in offset..<(offset + 4) {
            let b = buffer[i]
            let ok = lettersOnly
                ? (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                : b >= 0x20 && b <= 0x7E
            guard ok else { return nil }
            scalars.append(Unicode.Scalar(b))
        }
        return String(scalars)
    }

    /// The offset of the first 0xFF at or after `offset`, or nil.
    func firstFF(from offset: Int) -> Int? {
        guard offset >= 0, offset < count else { return nil }
        return buffer[offset...].firstIndex(of: 0xFF)
    }
}

/// The problems found so far, capped so that memory stays bounded whatever the input.
struct ProblemList {
    private(set) var items: [ImageProblem] = []
    let limit: Int
    private var overflowed = false

    init(limit: Int) { self.limit = max(0, limit) }

    mutating func add(_ problem: ImageProblem) {
        if items.count < limit {
            items.append(problem)
        } else if !overflowed {
            overflowed = true
            items.append(.tooManyProblems(limit: limit))
        }
    }
}
