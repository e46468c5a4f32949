import ImageCodecs
import ImageFormats
import Testing

@Suite("Decoding images to RGBA")
struct ImageDecoderTests {
    static let cases: [EncodeCase] = [
        EncodeCase(encoding: .png, width: 64, height: 48),
        EncodeCase(encoding: .png, width: 33, height: 17, hasAlpha: true),
        EncodeCase(encoding: .jpeg, width: 64, height: 48),
        EncodeCase(encoding: .webp, width: 40, height: 30),
        EncodeCase(encoding: .webp, width: 40, height: 30, hasAlpha: true),
    ]

    @Test("each format decodes to its size, close to the pixels it was made from", arguments: cases)
    func decodesEachFormat(_ example: EncodeCase) throws {
        let bytes = try ImageEncoder.encode(example.picture, as: example.encoding, quality: 90)
        let image = try #require(ImageDecoder.decode(bytes))
        #expect(image.width == example.width)
        #expect(image.height == example.height)
        // The picture's own pixels, widened to RGBA, against what the library decoded.
        let source = try example.picture.pixels()
        var expected: [UInt8] = []
        for pixel in stride(from: 0, to: source.count, by: example.picture.channels) {
            expected += source[pixel..<pixel + 3]
            expected.append(example.hasAlpha ? source[pixel + 3] : 255)
        }
        // Lossy WebP does not keep the colour under fully transparent pixels: compare alpha there.
        var decoded = image.pixels
        for pixel in stride(from: 0, to: expected.count, by: 4) where expected[pixel + 3] == 0 {
            for channel in 0..<3 { (expected[pixel + channel], decoded[pixel + channel]) = (0, 0) }
        }
        let tolerance = example.encoding.isLossy ? 12.0 : 0.0
        #expect(meanAbsoluteDifference(decoded, expected) <= tolerance)
    }

    @Test("truncated, corrupt or foreign bytes give nil", arguments: ImageEncoding.allCases)
    func brokenInputGivesNil(_ encoding: ImageEncoding) throws {
        let bytes = try ImageEncoder.encode(Picture(width: 96, height: 64, seed: 3), as: encoding)
        #expect(ImageDecoder.decode(Array(bytes.prefix(bytes.count / 2))) == nil, "cut in half")
        #expect(ImageDecoder.decode(Array(bytes.prefix(12))) == nil, "header only")
        var scrambled = bytes
        for i in stride(from: 20, to: scrambled.count, by: 7) { scrambled[i] ^= 0x5A }
        #expect(ImageDecoder.decode(scrambled) == nil, "scrambled")
        #expect(ImageDecoder.decode([]) == nil)
        #expect(ImageDecoder.decode(Array("not an image at all".utf8)) == nil)
    }
}

@Suite("Thumbnails")
struct ThumbnailTests {
    @Test("a 4K PNG gives a thumbnail no larger than the max side and a few kilobytes")
    func fourKPNG() throws {
        let bytes = try ImageEncoder.encode(Picture(width: 3840, height: 2160, seed: 11), as: .png)
        let thumbnail = try #require(Thumbnail.png(ofEncoded: bytes, maxSide: 160))
        let inspection = ImageInspector.inspect(thumbnail)
        #expect(inspection.isComplete)
        #expect(inspection.format == .png)
        #expect(inspection.width == 160)
        #expect(inspection.height == 90)
        #expect(thumbnail.count < 16_000, "\(thumbnail.count) bytes")
        #expect(bytes.count > 20 * thumbnail.count)
    }

    @Test("the longer side becomes the max side and the aspect ratio stays", arguments: [
        (width: 1024, height: 1536, maxSide: 128, expected: (85, 128)),
        (width: 300, height: 100, maxSide: 64, expected: (64, 21)),
        (width: 50, height: 40, maxSide: 64, expected: (50, 40)),   // never enlarged
        (width: 5000, height: 3, maxSide: 100, expected: (100, 1)),
    ])
    func sizes(_ example: (width: Int, height: Int, maxSide: Int, expected: (Int, Int))) {
        let image = RGBAImage(width: example.width, height: example.height,
                              pixels: [UInt8](repeating: 200, count: example.width * example.height * 4))
        let small = Thumbnail.downscale(image, maxSide: example.maxSide)
        #expect(small.width == example.expected.0)
        #expect(small.height == example.expected.1)
    }

    @Test("each thumbnail pixel is the mean of the block it covers; transparent pixels do not darken it")
    func boxFilter() {
        // 4x2: left half opaque red and transparent black, right half two blues.
        let pixels: [UInt8] = [
            255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 100, 255, 0, 0, 200, 255,
            255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 100, 255, 0, 0, 200, 255,
        ]
        let small = Thumbnail.downscale(RGBAImage(width: 4, height: 2, pixels: pixels), maxSide: 2)
        #expect(small.width == 2 && small.height == 1)
        #expect(Array(small.pixels[0..<4]) == [255, 0, 0, 127])
        #expect(Array(small.pixels[4..<8]) == [0, 0, 150, 255])
    }

    @Test("every output row and column covers its own block of the source")
    func quadrants() {
        // 8x6: four quadrants of different colours.
        let colours: [[UInt8]] = [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [250, 250, 250, 255]]
        var pixels: [UInt8] = []
        for y in 0..<6 {
            for x in 0..<8 { pixels += colours[(y < 3 ? 0 : 2) + (x < 4 ? 0 : 1)] }
        }
        let small = Thumbnail.downscale(RGBAImage(width: 8, height: 6, pixels: pixels), maxSide: 2)
        #expect(small.width == 2 && small.height == 1)
        let square = Thumbnail.downscale(RGBAImage(width: 8, height: 6, pixels: pixels), maxSide: 4)
        #expect(square.width == 4 && square.height == 3)
        for y in 0..<3 {
            for x in 0..<4 {
                let expected = colours[(y < 2 ? 0 : 2) + (x < 2 ? 0 : 1)]
                let offset = (y * 4 + x) * 4
                // Row 1 straddles the middle: half red/green, half blue/white.
                if y == 1 { continue }
                #expect(Array(square.pixels[offset..<offset + 4]) == expected, "pixel \(x),\(y)")
            }
        }
        let middle = Array(square.pixels[(1 * 4 + 0) * 4..<(1 * 4 + 0) * 4 + 4])
        #expect(middle == [127, 0, 127, 255], "the straddling row is the mean of red and blue")
    }

    @Test("a flat picture's thumbnail is the same colour everywhere")
    func flatThumbnail() throws {
        let bytes = try ImageEncoder.encode(Picture.flat(width: 1024, height: 768), as: .png)
        let thumbnail = try #require(Thumbnail.png(ofEncoded: bytes, maxSide: 64))
        let image = try #require(ImageDecoder.decode(thumbnail))
        #expect(image.width == 64 && image.height == 48)
        #expect(image.distinctColourCount() == 1)
        #expect(Array(image.pixels.suffix(4)) == [128, 128, 128, 255])
    }

    @Test("corrupt input gives no thumbnail", arguments: ImageEncoding.allCases)
    func corruptInput(_ encoding: ImageEncoding) throws {
        let bytes = try ImageEncoder.encode(Picture(width: 64, height: 64), as: encoding)
        #expect(Thumbnail.png(ofEncoded: Array(bytes.dropLast(bytes.count / 3)), maxSide: 32) == nil)
    }
}

