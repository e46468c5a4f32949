/// What was left when the input ended. WHATWG discards an event that has no blank line after
/// it; a truncation check needs to know that it happened.
public enum SSEStreamEnd: Hashable, Sendable {
    /// Nothing followed the last blank line.
    case clean
    /// Bytes followed the last blank line and were discarded.
    case midEvent(SSEUnterminatedBlock)

    public var isClean: Bool { self == .clean }
}

/// The bytes after the last blank line of a stream that ended without one.
public struct SSEUnterminatedBlock: Hashable, Sendable {
    /// Offsets of the block's first and last byte in the stream.
    public var byteRange: ClosedRange<Int>
    /// Whether a blank line at that point would have dispatched an event: the block held data.
    /// When false, the block held only comments or other fields.
    public var heldData: Bool

    public init(byteRange: ClosedRange<Int>, heldData: Bool) {
        self.byteRange = byteRange
        self.heldData = heldData
    }
}
