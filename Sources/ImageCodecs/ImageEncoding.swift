/// The image formats `ImageEncoder` writes.
public enum ImageEncoding: String, CaseIterable, Sendable {
    case png, jpeg, webp

    /// The largest width or height the format (or its library) accepts. PNG's header allows
    /// 2^31-1; JPEG's frame header 65535; libwebp `WEBP_MAX_DIMENSION`, 16383.
    /// `ImageEncoder.maximumPixelCount` bounds the area on top of this.
    public var maximumSide: Int {
        switch self {
        case .png: Int(Int32.max)
        case .jpeg: 65535
        case .webp: 16383
        }
    }

    /// Whether the format can carry an alpha channel (JPEG cannot).
    public var supportsAlpha: Bool { self != .jpeg }

    /// Whether `quality` matters (JPEG and WebP are written lossy; PNG is lossless).
    public var isLossy: Bool { self != .png }

    /// The media type, e.g. `image/png`.
    public var mimeType: String { "image/\(rawValue)" }

    /// The usual file name extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }
}
