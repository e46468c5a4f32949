import ImageCodecs
import Testing

/// Impossible requests fail early with an error that says why.
@Suite("Impossible pictures are refused with a clear error")
struct ErrorTests {
    struct Refusal: CustomTestStringConvertible, Sendable {
        var label: String
        var picture: Picture
        var encoding: ImageEncoding
        var quality: Int = 80
        var error: ImageEncodingError
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = {
        var refusals: [Refusal] = []
        for encoding in ImageEncoding.allCases {
            for (w, h) in [(0, 10), (10, 0), (0, 0), (-1, 5)] {
                refusals.append(Refusal(label: "\(encoding.rawValue) \(w)x\(h)", picture: Picture(width: w, height: h),
                                        encoding: encoding, error: .invalidSize(width: w, height: h, encoding: encoding)))
            }
        }
        refusals += [
            Refusal(label: "jpeg with alpha", picture: Picture(width: 8, height: 8, hasAlpha: true), encoding: .jpeg,
                    error: .alphaUnsupported(.jpeg)),
            Refusal(label: "flat jpeg with alpha", picture: .flat(width: 8, height: 8, hasAlpha: true), encoding: .jpeg,
                    error: .alphaUnsupported(.jpeg)),
            Refusal(label: "webp wider than 16383", picture: Picture(width: 16384, height: 1), encoding: .webp,
                    error: .invalidSize(width: 16384, height: 1, encoding: .webp)),
            Refusal(label: "jpeg taller than 65535", picture: Picture(width: 1, height: 65536), encoding: .jpeg,
                    error: .invalidSize(width: 1, height: 65536, encoding: .jpeg)),
            Refusal(label: "png wider than 2^31-1", picture: Picture(width: 1 << 31, height: 1), encoding: .png,
                    error: .invalidSize(width: 1 << 31, height: 1, encoding: .png)),
            Refusal(label: "png over 100 megapixels", picture: Picture(width: 10_001, height: 10_000), encoding: .png,
                    error: .tooManyPixels(width: 10_001, height: 10_000, limit: 100_000_000)),
            Refusal(label: "webp over 100 megapixels", picture: Picture(width: 16383, height: 16383), encoding: .webp,
                    error: .tooManyPixels(width: 16383, height: 16383, limit: 100_000_000)),
            Refusal(label: "png of huge sides whose area overflows", picture: Picture(width: Int(Int32.max), height: Int(Int32.max)),
                    encoding: .png, error: .tooManyPixels(width: Int(Int32.max), height: Int(Int32.max), limit: 100_000_000)),
            Refusal(label: "jpeg quality 101", picture: Picture(width: 8, height: 8), encoding: .jpeg, quality: 101,
                    error: .invalidQuality(101, encoding: .jpeg)),
            Refusal(label: "webp quality -1", picture: Picture(width: 8, height: 8), encoding: .webp, quality: -1,
                    error: .invalidQuality(-1, encoding: .webp)),
        ]
        return refusals
    }()

    @Test("refused with the matching error", arguments: refusals)
    func refused(_ refusal: Refusal) {
        #expect(throws: refusal.error) {
            try ImageEncoder.encode(refusal.picture, as: refusal.encoding, quality: refusal.quality)
        }
        #expect(throws: refusal.error) {
            try ImageEncoder.validate(refusal.picture, as: refusal.encoding, quality: refusal.quality)
        }
    }

    @Test("PNG ignores quality")
    func pngIgnoresQuality() throws {
        #expect(try ImageEncoder.encode(Picture(width: 4, height: 4), as: .png, quality: 1000).count > 0)
    }

    @Test("pixels() refuses what no encoder takes")
    func pixelsRefuses() {
        #expect(throws: ImageEncodingError.self) { try Picture(width: 0, height: 3).pixels() }
        #expect(throws: ImageEncodingError.tooManyPixels(width: 20_000, height: 20_000, limit: 100_000_000)) {
            try Picture(width: 20_000, height: 20_000).pixels()
        }
    }

    @Test("error descriptions name the problem", arguments: [
        (ImageEncodingError.invalidSize(width: 0, height: 5, encoding: .webp), "0x5"),
        (.invalidSize(width: 16384, height: 5, encoding: .webp), "1...16383"),
        (.tooManyPixels(width: 20_000, height: 20_000, limit: 100_000_000), "100000000"),
        (.alphaUnsupported(.jpeg), "jpeg has no alpha"),
        (.invalidQuality(101, encoding: .jpeg), "0...100"),
        (.libraryFailure(library: "libwebp", message: "out of memory"), "libwebp failed: out of memory"),
    ])
    func descriptions(_ error: ImageEncodingError, _ fragment: String) {
        #expect(error.description.contains(fragment), "\(error.description)")
    }
}
