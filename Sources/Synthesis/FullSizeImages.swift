import Foundation
import ImageCodecs
import ImageFormats

/// Real-size images for `images=full-size`: for an image payload (base64, or a data URL), a
/// real image of the same format, pixel size and alpha made of seeded noise, so it is as
/// large on the wire as a real one (a 1024x1024 PNG is a 4 MB base64 line, a 3840x2160 PNG a
/// 33 MB one). Made once per (format, size, alpha, ordinal) and kept, within a byte budget,
/// as base64: every delivery hands out slices of the same buffer.
public final class FullSizeImages: Sendable {
    /// The server's and the runner's source.
    public static let shared = FullSizeImages(limitBytes: 384 << 20)

    /// The largest side replaced: the API's largest documented edge. Larger images are kept as
    /// they are (making one would take seconds and hundreds of megabytes).
    public static let maximumSide = 3840

    private struct Key: Hashable {
        let format: ImageFormat
        let width: Int
        let height: Int
        let alpha: Bool
        let ordinal: Int
    }

    private let images: ByteCache<Key>

    public init(limitBytes: Int) {
        images = ByteCache(limitBytes: limitBytes)
    }

    /// The replacement text for `payload`, written as it was (a data URL keeps its prefix) and
    /// cut to half where the payload was a cut image; nil when the payload is not an image
    /// Tapedeck can read, or is larger than ``maximumSide``.
    public func fullSize(of payload: UnsafeBufferPointer<UInt8>, ordinal: Int) -> ArraySlice<UInt8>? {
        var base64 = payload[...]
        var prefix: ArraySlice<UInt8> = []
        if payload.starts(with: Self.dataPrefix), let comma = payload.firstIndex(of: UInt8(ascii: ",")) {
            prefix = ArraySlice(payload[...comma])
            base64 = payload[(comma + 1)...]
        }
        guard let header = Self.inspect(base64), let format = header.inspection.format,
              let width = header.inspection.width, let height = header.inspection.height,
              (1...Self.maximumSide).contains(width), (1...Self.maximumSide).contains(height) else { return nil }
        let key = Key(format: format, width: width, height: height, alpha: header.inspection.hasAlpha == true && format != .jpeg, ordinal: ordinal)
        guard var text = image(for: key) else { return nil }
        if !header.isComplete {
            // Keep the defect: a cut image stays cut, at half the full-size image's length.
            text = text.prefix((text.count / 2) & ~3)
        }
        return prefix.isEmpty ? text : ArraySlice(prefix + text)
    }

    private static let dataPrefix = Array("data:".utf8)

    /// Base64 this long is decoded whole, so a cut image is seen to be cut; longer payloads
    /// (real recordings) are read by their header alone and taken as whole.
    private static let wholeDecodeLimit = 4 << 20
    private static let headerLength = 64 << 10

    private static func inspect(_ base64: Slice<UnsafeBufferPointer<UInt8>>) -> (inspection: ImageInspection, isComplete: Bool)? {
        let whole = base64.count <= wholeDecodeLimit
        let text = whole ? base64 : base64.prefix(headerLength)
        guard let data = Data(base64Encoded: Data(text)) else { return nil }
        let inspection = ImageInspector.inspect(data)
        return (inspection, whole ? inspection.isComplete : true)
    }

    private func image(for key: Key) -> ArraySlice<UInt8>? {
        let encoding: ImageEncoding = switch key.format {
        case .png: .png
        case .jpeg: .jpeg
        case .webp: .webp
        }
        let seed = UInt64(truncatingIfNeeded: key.ordinal) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: key.width << 20 | key.height)
        let picture = Picture.noise(width: key.width, height: key.height, hasAlpha: key.alpha, seed: seed)
        return (try? images.value(for: key) { [UInt8](Data(try ImageEncoder.encode(picture, as: encoding)).base64EncodedData()) })?[...]
    }
}
