import ImageCodecs
import ImageFormats
import Testing

/// `cassette slim` swaps big payloads for flat pictures: they must be real images and tiny.
@Suite("Flat pictures are complete and tiny")
struct FlatPictureTests {
    struct Bound: CustomTestStringConvertible, Sendable {
        var encoding: ImageEncoding
        var width: Int
        var height: Int
        var hasAlpha: Bool
        var maximumBytes: Int
        var testDescription: String { "\(encoding.rawValue) \(width)x\(height)\(hasAlpha ? " with alpha" : ""): at most \(maximumBytes) bytes" }
    }

    static let bounds: [Bound] = [
        // PNG: deflate codes at most 258 bytes per match, so ~1 KB per megabyte of pixels is the floor.
        Bound(encoding: .png, width: 1024, height: 1024, hasAlpha: false, maximumBytes: 5_000),
        Bound(encoding: .png, width: 1024, height: 1024, hasAlpha: true, maximumBytes: 6_000),
        Bound(encoding: .png, width: 1536, height: 1024, hasAlpha: false, maximumBytes: 7_000),
        Bound(encoding: .png, width: 3840, height: 2160, hasAlpha: false, maximumBytes: 30_000),
        // JPEG: a few bits per 8x8 block remain (progressive, so the Huffman tables are optimal).
        Bound(encoding: .jpeg, width: 1024, height: 1024, hasAlpha: false, maximumBytes: 8_000),
        Bound(encoding: .jpeg, width: 1536, height: 1024, hasAlpha: false, maximumBytes: 12_000),
        Bound(encoding: .webp, width: 1024, height: 1024, hasAlpha: false, maximumBytes: 2_500),
        Bound(encoding: .webp, width: 1024, height: 1024, hasAlpha: true, maximumBytes: 2_500),
        Bound(encoding: .webp, width: 1536, height: 1024, hasAlpha: false, maximumBytes: 3_500),
    ]

    @Test("a flat picture encodes small and complete", arguments: bounds)
    func flatIsSmall(_ bound: Bound) throws {
        let picture = Picture.flat(width: bound.width, height: bound.height, hasAlpha: bound.hasAlpha)
        let bytes = try ImageEncoder.encode(picture, as: bound.encoding)
        #expect(bytes.count <= bound.maximumBytes, "\(bytes.count) bytes")
        let inspection = ImageInspector.inspect(bytes)
        #expect(inspection.isComplete, "\(describe(inspection))")
        #expect(inspection.width == bound.width && inspection.height == bound.height)
        #expect(inspection.hasAlpha == bound.hasAlpha)
    }

    @Test("a flat picture is mid grey, translucent with alpha", arguments: [false, true])
    func flatIsOneColour(hasAlpha: Bool) throws {
        let picture = Picture.flat(width: 33, height: 17, hasAlpha: hasAlpha)
        let pixels = try picture.pixels()
        let first = Array(pixels[0..<picture.channels])
        for i in stride(from: 0, to: pixels.count, by: picture.channels) {
            #expect(Array(pixels[i..<(i + picture.channels)]) == first)
        }
        #expect(first == (hasAlpha ? [128, 128, 128, 128] : [128, 128, 128]))
    }

    @Test("a flat picture's seed picks its colour")
    func flatSeedPicksColour() throws {
        let grey = try Picture.flat(width: 5, height: 5).pixels()
        let other = try Picture.flat(width: 5, height: 5, seed: 12).pixels()
        #expect(grey != other)
        #expect(Set(stride(from: 0, to: other.count, by: 3).map { other[$0..<($0 + 3)] }).count == 1)
    }

    @Test("a flat JPEG is progressive (optimal Huffman tables), a scene baseline")
    func flatJPEGIsProgressive() throws {
        func frameMarkers(_ jpeg: [UInt8]) -> Set<UInt8> {
            Set(jpeg.indices.dropLast().filter { jpeg[$0] == 0xFF && (jpeg[$0 + 1] == 0xC0 || jpeg[$0 + 1] == 0xC2) }.map { jpeg[$0 + 1] })
        }
        #expect(frameMarkers(try ImageEncoder.encode(.flat(width: 64, height: 64), as: .jpeg)) == [0xC2])
        #expect(frameMarkers(try ImageEncoder.encode(Picture(width: 64, height: 64), as: .jpeg)) == [0xC0])
    }

    @Test("a flat picture is smaller than the scene", arguments: ImageEncoding.allCases)
    func flatIsSmallerThanScene(_ encoding: ImageEncoding) throws {
        let flat = try ImageEncoder.encode(.flat(width: 640, height: 480), as: encoding)
        let scene = try ImageEncoder.encode(Picture(width: 640, height: 480), as: encoding)
        #expect(flat.count * 4 < scene.count, "flat \(flat.count), scene \(scene.count)")
    }
}
