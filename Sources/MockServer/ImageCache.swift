import ImageCodecs
import Synthesis

/// Encoded pictures by (picture, encoding): a 4K PNG takes a moment to make, and a fuzz suite
/// asks for the same one many times. Holds a bounded number of bytes.
final class ImageCache: Sendable {
    static let shared = ImageCache(limitBytes: 256 << 20)

    private struct Key: Hashable, Sendable {
        let picture: Picture
        let encoding: ImageEncoding
    }

    private let images: ByteCache<Key>

    init(limitBytes: Int) {
        images = ByteCache(limitBytes: limitBytes)
    }

    @Sendable func image(_ picture: Picture, _ encoding: ImageEncoding) throws -> [UInt8] {
        try images.value(for: Key(picture: picture, encoding: encoding)) { try ImageEncoder.encode(picture, as: encoding) }
    }
}
