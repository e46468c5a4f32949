/// Why `ImageEncoder.encode` produced no image.
public enum ImageEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A side is outside 1...`encoding.maximumSide`.
    case invalidSize(width: Int, height: Int, encoding: ImageEncoding)
    /// width × height is over `ImageEncoder.maximumPixelCount` (or overflows).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The picture has an alpha channel and the format has none (JPEG).
    case alphaUnsupported(ImageEncoding)
    /// A lossy format was asked for a quality outside 0...100.
    case invalidQuality(Int, encoding: ImageEncoding)
    /// zlib, libjpeg-turbo or libwebp reported an error; `message` is theirs where they give one.
    case libraryFailure(library: String, message: String)

    public var description: String {
        switch self {
        case let .invalidSize(width, height, encoding):
            "invalid \(encoding.rawValue) size \(width)x\(height): each side must be 1...\(encoding.maximumSide)"
        case let .tooManyPixels(width, height, limit):
            "image size \(width)x\(height) is over the limit of \(limit) pixels"
        case let .alphaUnsupported(encoding):
            "\(encoding.rawValue) has no alpha channel: encode a picture without alpha, or use png or webp"
        case let .invalidQuality(quality, encoding):
            "invalid \(encoding.rawValue) quality \(quality): must be 0...100"
        case let .libraryFailure(library, message):
            "\(library) failed: \(message)"
        }
    }
}
