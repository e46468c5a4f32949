import ImageFormats
import Testing

private let lossy = Fixtures.webpLossy8x6              // RIFF, VP8 chunk at 12 with its frame header at 20
private let lossless = Fixtures.webpLossless8x6        // RIFF, VP8L chunk at 12 with its signature at 20
private let withAlpha = Fixtures.webpLossyAlpha8x6     // RIFF, VP8X at 12 (canvas at 24), ALPH, VP8
private let vp8Size = lossy.count - 20
private let vp8Payload = webpChunks(lossy)[0].1
private let vp8lPayload = webpChunks(lossless)[0].1

/// A VP8X payload: flags, three reserved bytes, canvas width - 1 and height - 1 in 24 bits.
private func vp8x(flags: UInt8, width: Int, height: Int) -> [UInt8] {
    let w = width - 1, h = height - 1
    return [flags, 0, 0, 0, UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16 & 0xFF),
            UInt8(h & 0xFF), UInt8(h >> 8 & 0xFF), UInt8(h >> 16 & 0xFF)]
}

@Suite("WebP")
struct WebPTests {
    static let damages: [Damage] = [
        Damage("cut inside the RIFF header", Array(lossy.prefix(6)), [.truncated(expected: 12, at: 0)]),
        Damage("cut after the RIFF header", Array(lossy.prefix(12)),
               [.riffSizeMismatch(declared: lossy.count, actual: 12), .missingChunk("VP8 /VP8L/VP8X")]),
        Damage("cut inside the first chunk header", Array(lossy.prefix(16)), [.truncated(expected: 8, at: 12)]),
        Damage("cut inside VP8 data", Array(lossy.prefix(40)), [.truncated(expected: 8 + vp8Size, at: 12)]),
        Damage("cut one byte short", Array(lossy.dropLast()), [.truncated(expected: 8 + vp8Size, at: 12)]),
        Damage("cut between VP8X and ALPH", Array(withAlpha.prefix(30)),
               [.riffSizeMismatch(declared: withAlpha.count, actual: 30), .missingChunk("VP8 /VP8L")]),
        Damage("a RIFF size 2 too large", lossy.replacing(4, with: le32(UInt32(lossy.count - 6))),
               [.riffSizeMismatch(declared: lossy.count + 2, actual: lossy.count)]),
        Damage("a RIFF size 2 too small", lossy.replacing(4, with: le32(UInt32(lossy.count - 10))),
               [.riffSizeMismatch(declared: lossy.count - 2, actual: lossy.count)]),
        Damage("trailing garbage after the RIFF size", lossy + [9, 9, 9, 9], [.trailingBytes(count: 4)]),
        Damage("a chunk size far past the end", lossy.replacing(16, with: le32(0xFFFF_FFF0)),
               [.truncated(expected: 8 + 0xFFFF_FFF0, at: 12)]),
        Damage("a chunk type that is not printable", lossy.replacing(12, with: [0x56, 0x50, 0x38, 0x00]),
               [.badChunkType(bytes: [0x56, 0x50, 0x38, 0x00], offset: 12)]),
        Damage("a broken VP8 start code", lossy.flipping(23), [.invalidHeader(field: "VP8 start code", value: 0x62012A, offset: 23)]),
        Damage("a VP8 frame that is not a key frame", lossy.flipping(20, mask: 1),
               [.invalidHeader(field: "VP8 frame type (a key frame is required)", value: 1, offset: 20)]),
        Damage("a VP8 width of 0", lossy.replacing(26, with: [0, 0]), [.zeroDimensions]),
        Damage("a VP8 chunk too short for its frame header", webpFile([("VP8 ", Array(vp8Payload.prefix(9)))]),
               [.badLength(chunk: "VP8 ", length: 9, offset: 12)]),
        Damage("a VP8L signature byte of 0x2E", lossless.replacing(20, with: [0x2E]),
               [.invalidHeader(field: "VP8L signature", value: 0x2E, offset: 20)]),
        Damage("a VP8L version of 1", lossless.flipping(24, mask: 0x20), [.invalidHeader(field: "VP8L version", value: 1, offset: 24)]),
        Damage("a VP8X canvas wider than the image", withAlpha.replacing(24, with: [9]),
               [.canvasMismatch(canvasWidth: 10, canvasHeight: 6, imageWidth: 8, imageHeight: 6)]),
        Damage("a VP8X canvas beyond 2^32-1 pixels",
               webpFile([("VP8X", vp8x(flags: 0, width: 1 << 24, height: 1 << 24)), ("VP8 ", vp8Payload)]),
               [.dimensionsTooLarge(width: 1 << 24, height: 1 << 24),
                .canvasMismatch(canvasWidth: 1 << 24, canvasHeight: 1 << 24, imageWidth: 8, imageHeight: 6)]),
        Damage("a VP8X without an image chunk", webpFile([("VP8X", vp8x(flags: 0x10, width: 8, height: 6))]),
               [.missingChunk("VP8 /VP8L")]),
        Damage("a VP8X chunk of 6 bytes", webpFile([("VP8X", [0, 0, 0, 0, 0, 0]), ("VP8 ", vp8Payload)]),
               [.badLength(chunk: "VP8X", length: 6, offset: 12)]),
        Damage("an animated VP8X without ANIM or ANMF", webpFile([("VP8X", vp8x(flags: 0x02, width: 8, height: 6))]),
               [.missingChunk("ANIM"), .missingChunk("ANMF")]),
        Damage("an ALPH chunk after the image chunk",
               webpFile([("VP8X", vp8x(flags: 0x10, width: 8, height: 6)), ("VP8 ", vp8Payload), ("ALPH", [0])]),
               [.misplacedChunk(chunk: "ALPH", offset: 30 + 8 + vp8Size)]),
        Damage("a second image chunk in a simple file", webpFile([("VP8 ", vp8Payload), ("VP8L", vp8lPayload)]),
               [.misplacedChunk(chunk: "VP8L", offset: 20 + vp8Size)]),
        Damage("a first chunk that is not an image", webpFile([("EXIF", [1, 2]), ("VP8 ", vp8Payload)]),
               [.misplacedChunk(chunk: "EXIF", offset: 12)]),
    ]

    @Test("A damaged WebP reports exactly what is wrong and where", arguments: damages)
    func damaged(_ damage: Damage) {
        let result = ImageInspector.inspect(damage.bytes)
        #expect(result.format == .webp)
        #expect(result.problems == damage.expected)
        #expect(!result.isComplete)
    }

    // An odd-sized last chunk: its padding byte may be present or not, and counted or not.
    static let padding: [Damage] = {
        let odd = webpFile([("VP8L", vp8lPayload + [0])])   // padded, RIFF size counts the pad
        return [
            Damage("padding byte present and counted", odd, []),
            Damage("padding byte present, not counted", odd.replacing(4, with: le32(UInt32(odd.count - 9))), []),
            Damage("padding byte missing, counted", Array(odd.dropLast()), []),
            Damage("padding byte missing, not counted", Array(odd.dropLast()).replacing(4, with: le32(UInt32(odd.count - 9))), []),
        ]
    }()

    @Test("The RIFF size may count the final padding byte or not", arguments: padding)
    func paddingRule(_ sample: Damage) {
        let result = ImageInspector.inspect(sample.bytes)
        #expect(result.problems == [])
        #expect(result.width == 8 && result.height == 6)
    }

    @Test("An animated WebP with ANIM and ANMF chunks is complete, with the canvas size")
    func animated() {
        let frame = [UInt8](repeating: 0, count: 16) + ascii("VP8L") + le32(UInt32(vp8lPayload.count)) + vp8lPayload
        let bytes = webpFile([("VP8X", vp8x(flags: 0x12, width: 20, height: 10)), ("ANIM", [0, 0, 0, 0, 0, 0]), ("ANMF", frame)])
        let result = ImageInspector.inspect(bytes)
        #expect(result.problems == [])
        #expect(result.width == 20 && result.height == 10 && result.hasAlpha == true)
    }
}
