/// What to draw: a small landscape (a sky gradient, a sun or moon with a halo, clouds,
/// mountains, hills, a lake, trees and a house), or one flat colour. Deterministic: the same
/// picture always gives the same pixels, and so the same encoded bytes.
public struct Picture: Hashable, Sendable {
    /// A landscape, or one colour.
    public enum Content: Hashable, Sendable {
        /// The landscape, varied by `seed` and drawn in blocks set by `detail`.
        case scene
        /// Every pixel one colour (chosen by `seed`; semi-transparent when `hasAlpha`):
        /// compresses to almost nothing, for `cassette slim`.
        case flat
        /// Seeded noise in every channel (alpha included): compresses to nothing, so the
        /// encoded image is as large as a real photograph's of its size, for real-size payloads.
        case noise
    }

    public var width: Int
    public var height: Int
    /// A transparent background: the sky fades to fully transparent at the top, the halo is
    /// translucent, and a border of width max(1, min(width, height) / 32) is fully transparent,
    /// so any picture with alpha (even 1x1) has non-opaque pixels. A flat picture is uniformly
    /// translucent (alpha 128).
    public var hasAlpha: Bool
    /// 0...3 (values outside are clamped): the scene is computed per block of
    /// `blockSize` pixels, 64, 16, 4 and 1, so lower levels look like coarse previews of level 3.
    public var detail: Int
    /// Varies the palette (day, dusk, night, dawn), the colours and the shapes.
    public var seed: UInt64
    public var content: Content
    /// When set, the scene is computed in square blocks of this side whatever `detail` says:
    /// a mosaic of the landscape, for previews that must stay small in git.
    public var blockSide: Int?

    /// The finest (final image) detail level.
    public static let finestDetail = 3

    public init(width: Int, height: Int, hasAlpha: Bool = false, detail: Int = Picture.finestDetail, seed: UInt64 = 0) {
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
        self.detail = detail
        self.seed = seed
        self.content = .scene
    }

    /// One colour (mid grey for seed 0), compressing to almost nothing.
    public static func flat(width: Int, height: Int, hasAlpha: Bool = false, seed: UInt64 = 0) -> Picture {
        var picture = Picture(width: width, height: height, hasAlpha: hasAlpha, seed: seed)
        picture.content = .flat
        return picture
    }

    /// Seeded noise that does not compress: a 3840x2160 PNG of it is about 25 MB.
    public static func noise(width: Int, height: Int, hasAlpha: Bool = false, seed: UInt64 = 0) -> Picture {
        var picture = Picture(width: width, height: height, hasAlpha: hasAlpha, seed: seed)
        picture.content = .noise
        return picture
    }

    /// The landscape in `columns` blocks across (each square, the last ones cut by the edges):
    /// few columns look like an early preview, many like the picture. Blocks of one colour
    /// compress to almost nothing in every format, as `cassette slim` needs.
    public static func mosaic(width: Int, height: Int, hasAlpha: Bool = false, columns: Int, seed: UInt64 = 0) -> Picture {
        var picture = Picture(width: width, height: height, hasAlpha: hasAlpha, seed: seed)
        picture.blockSide = max(1, (width + max(1, columns) - 1) / max(1, columns))
        return picture
    }

    /// 3 (RGB) or 4 (RGBA): the bytes per pixel of `pixels()`.
    public var channels: Int { hasAlpha ? 4 : 3 }

    /// The side of the square blocks the scene is computed in: `blockSide`, else 2^(6 - 2 * detail).
    public var blockSize: Int { blockSide ?? 1 << (6 - 2 * min(max(detail, 0), Picture.finestDetail)) }

    /// The raw pixels, row by row, top first, `channels` bytes each (R, G, B[, A]), as the
    /// encoders see them. Throws for a side under 1 or an area over `ImageEncoder.maximumPixelCount`.
    public func pixels() throws(ImageEncodingError) -> [UInt8] {
        try ImageEncoder.checkArea(width: width, height: height)
        let renderer = SceneRenderer(self)
        let rowBytes = width * channels
        return [UInt8](unsafeUninitializedCapacity: rowBytes * height) { buffer, count in
            renderer.renderAll(into: buffer.baseAddress!, rowBytes: rowBytes)
            count = rowBytes * height
        }
    }
}
