import ImageCodecs
import Testing

/// Pictures are functions of their fields: equal pictures, equal bytes; any change, new bytes.
@Suite("Encoding is deterministic and every field shows")
struct DeterminismTests {
    @Test("the same picture encodes to the same bytes", arguments: ImageEncoding.allCases, [false, true])
    func samePictureSameBytes(_ encoding: ImageEncoding, hasAlpha: Bool) throws {
        guard encoding.supportsAlpha || !hasAlpha else { return }
        let picture = Picture(width: 640, height: 480, hasAlpha: hasAlpha, detail: 3, seed: 42)
        let first = try ImageEncoder.encode(picture, as: encoding)
        let second = try ImageEncoder.encode(picture, as: encoding)
        #expect(first == second)
    }

    static let variations: [Variation] = {
        let base = Picture(width: 512, height: 384, seed: 1)
        var variations: [Variation] = []
        for seed: UInt64 in [2, 3, 1 << 40, .max] {
            var other = base
            other.seed = seed
            variations.append(Variation(label: "seed 1 and seed \(seed)", first: base, second: other))
        }
        for (a, b) in [(0, 1), (1, 2), (2, 3), (0, 3)] {
            var first = base, second = base
            first.detail = a
            second.detail = b
            variations.append(Variation(label: "detail \(a) and detail \(b)", first: first, second: second))
        }
        var transparent = base
        transparent.hasAlpha = true
        variations.append(Variation(label: "opaque and transparent", first: base, second: transparent))
        return variations
    }()

    @Test("pictures differing in one field encode to different bytes", arguments: variations, ImageEncoding.allCases)
    func differentPicturesDifferentBytes(_ variation: Variation, _ encoding: ImageEncoding) throws {
        guard encoding.supportsAlpha || !(variation.first.hasAlpha || variation.second.hasAlpha) else { return }
        let first = try ImageEncoder.encode(variation.first, as: encoding)
        let second = try ImageEncoder.encode(variation.second, as: encoding)
        #expect(first != second)
    }

    @Test("a thousand seeds give a thousand different pictures")
    func seedsVary() throws {
        var seen = Set<[UInt8]>()
        for seed in 0..<UInt64(1000) {
            seen.insert(try Picture(width: 48, height: 32, seed: seed).pixels())
        }
        #expect(seen.count == 1000)
    }

    @Test("detail outside 0...3 is clamped")
    func detailClamped() throws {
        let below = Picture(width: 100, height: 80, detail: -5), coarsest = Picture(width: 100, height: 80, detail: 0)
        let above = Picture(width: 100, height: 80, detail: 9), finest = Picture(width: 100, height: 80, detail: 3)
        #expect(try below.pixels() == coarsest.pixels())
        #expect(try above.pixels() == finest.pixels())
        #expect([-1, 0, 1, 2, 3, 4].map { Picture(width: 1, height: 1, detail: $0).blockSize } == [64, 64, 16, 4, 1, 1])
    }
}

/// Lower detail levels are coarse versions of the final image.
@Suite("Previews are drawn in blocks")
struct PreviewTests {
    @Test("each aligned block of a preview is one colour", arguments: [0, 1, 2])
    func blocksAreUniform(detail: Int) throws {
        let picture = Picture(width: 517, height: 389, detail: detail, seed: 9)
        let pixels = try picture.pixels()
        let block = picture.blockSize
        var mismatches = 0
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let corner = ((y / block * block) * picture.width + x / block * block) * 3
                let here = (y * picture.width + x) * 3
                if pixels[here..<(here + 3)] != pixels[corner..<(corner + 3)] { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("finer detail shows more distinct colours")
    func finerIsRicher() throws {
        func distinctColours(_ detail: Int) throws -> Int {
            let pixels = try Picture(width: 512, height: 512, detail: detail, seed: 4).pixels()
            var colours = Set<Int>()
            for i in stride(from: 0, to: pixels.count, by: 3) {
                colours.insert(Int(pixels[i]) << 16 | Int(pixels[i + 1]) << 8 | Int(pixels[i + 2]))
            }
            return colours.count
        }
        let counts = try (0...3).map(distinctColours)
        #expect(counts == counts.sorted() && Set(counts).count == 4, "\(counts)")
    }

    @Test("a picture with alpha has transparent pixels and opaque ones", arguments: [0, 3])
    func alphaIsUsed(detail: Int) throws {
        let pixels = try Picture(width: 200, height: 150, hasAlpha: true, detail: detail, seed: 2).pixels()
        let alphas = Set(stride(from: 3, to: pixels.count, by: 4).map { pixels[$0] })
        #expect(alphas.contains(0))
        #expect(alphas.contains(255))
        #expect(try Picture(width: 1, height: 1, hasAlpha: true).pixels()[3] == 0)
    }
}
