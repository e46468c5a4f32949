/// What `ImageInspector` found out about an image's bytes.
public struct ImageInspection: Hashable, Sendable {
    /// Detected from the magic bytes; nil when unknown.
    public var format: ImageFormat?
    /// From the header: PNG IHDR, JPEG SOFn (or DNL), WebP VP8 / VP8L / VP8X. Nil when unread.
    public var width: Int?
    public var height: Int?
    /// PNG: colour type 4 or 6, or a tRNS chunk. WebP: the VP8X alpha flag, or the VP8L
    /// alpha hint; a plain VP8 (lossy, no VP8X) image has none. JPEG: always false.
    public var hasAlpha: Bool?
    /// Empty when the image is structurally complete. In input order, at most
    /// `InspectionOptions.maxProblems` entries plus a closing `.tooManyProblems`.
    public var problems: [ImageProblem]

    /// A known format with no problems.
    public var isComplete: Bool { problems.isEmpty && format != nil }

    public init(
        format: ImageFormat? = nil, width: Int? = nil, height: Int? = nil,
        hasAlpha: Bool? = nil, problems: [ImageProblem] = []
    ) {
        self.format = format
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
        self.problems = problems
    }
}

/// Knobs for `ImageInspector.inspect`. The defaults suit payloads of a few megabytes.
public struct InspectionOptions: Hashable, Sendable {
    /// PNG only: inflate the IDAT stream (in a fixed 32 KiB buffer) and check that it ends
    /// and that its size matches the header. Structure and CRCs are checked either way.
    public var verifyImageData: Bool
    /// PNG only: stop inflating, without judging the size, after this many decompressed bytes.
    /// Inflating also stops as soon as the output exceeds what the header implies, so the work
    /// is at most min(this, expected size + 32 KiB) bytes of output, whatever the header claims.
    public var maxDecompressedBytes: Int
    /// At most this many problems are recorded; one `.tooManyProblems` then closes the list.
    public var maxProblems: Int

    public init(verifyImageData: Bool = true, maxDecompressedBytes: Int = 256 << 20, maxProblems: Int = 64) {
        self.verifyImageData = verifyImageData
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxProblems = maxProblems
    }
}
