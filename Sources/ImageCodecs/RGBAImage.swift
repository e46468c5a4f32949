/// Decoded pixels: 8-bit RGBA, `width * 4` bytes per row, top row first.
public struct RGBAImage: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 4, "RGBA buffer does not match its size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The number of distinct colours, counting at most `limit` of them.
    public func distinctColourCount(limit: Int = 1 << 16) -> Int {
        var seen = Set<UInt32>()
        var i = 0
        while i < pixels.count, seen.count < limit {
            seen.insert(UInt32(pixels[i]) << 24 | UInt32(pixels[i + 1]) << 16 | UInt32(pixels[i + 2]) << 8 | UInt32(pixels[i + 3]))
            i += 4
        }
        return seen.count
    }
}
