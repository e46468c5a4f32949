import ImageCodecs
import NIOConcurrencyHelpers

/// Encoded pictures by (picture, encoding): a 4K PNG takes a moment to make, and a fuzz suite
/// asks for the same one many times. Holds a bounded number of bytes.
final class ImageCache: Sendable {
    static let shared = ImageCache(limitBytes: 256 << 20)

    private struct Key: Hashable {
        let width: Int, height: Int, hasAlpha: Bool, detail: Int, seed: UInt64, encoding: ImageEncoding
    }

    private struct State {
        var images: [Key: [UInt8]] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    private let limitBytes: Int
    private let state = NIOLockedValueBox(State())

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    @Sendable func image(_ picture: Picture, _ encoding: ImageEncoding) throws -> [UInt8] {
        let key = Key(width: picture.width, height: picture.height, hasAlpha: picture.hasAlpha, detail: picture.detail, seed: picture.seed, encoding: encoding)
        if let cached = state.withLockedValue({ $0.images[key] }) { return cached }
        let bytes = try ImageEncoder.encode(picture, as: encoding)
        state.withLockedValue { state in
            guard state.images[key] == nil else { return }
            state.images[key] = bytes
            state.order.append(key)
            state.bytes += bytes.count
            while state.bytes > limitBytes, let oldest = state.order.first {
                state.order.removeFirst()
                state.bytes -= state.images.removeValue(forKey: oldest)?.count ?? 0
            }
        }
        return bytes
    }
}
