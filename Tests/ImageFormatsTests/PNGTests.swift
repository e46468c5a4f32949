import ImageFormats
import Testing

private let rgb = Fixtures.pngRGB8x6          // IHDR at 8, IDAT at 33 (119 data bytes), IEND at 164, 176 bytes
private let idat = pngOffset(of: "IDAT", in: rgb)
private let iend = pngOffset(of: "IEND", in: rgb)
private let idatLength = pngChunks(rgb)[1].data.count
private let rgbImageData = 6 * (1 + 8 * 3)    // rows × (filter byte + row bytes)

private let split = Fixtures.pngSplitIDAT12x10
private let splitChunks = pngChunks(split)

@Suite("PNG")
struct PNGTests {
    static let damages: [Damage] = [
        Damage("cut inside the signature", Array(rgb.prefix(4)), [.truncated(expected: 8, at: 0)]),
        Damage("cut right after the signature", Array(rgb.prefix(8)),
               [.missingChunk("IHDR"), .missingChunk("IDAT"), .missingEnd("IEND")]),
        Damage("cut inside IHDR", Array(rgb.prefix(20)), [.truncated(expected: 25, at: 8)]),
        Damage("cut after IHDR", Array(rgb.prefix(idat)), [.missingChunk("IDAT"), .missingEnd("IEND")]),
        Damage("cut inside IDAT", Array(rgb.prefix(idat + 40)), [.truncated(expected: 12 + idatLength, at: idat)]),
        Damage("cut inside the IDAT CRC", Array(rgb.prefix(iend - 1)), [.truncated(expected: 12 + idatLength, at: idat)]),
        Damage("cut before IEND", Array(rgb.prefix(iend)), [.missingEnd("IEND")]),
        Damage("cut inside IEND", Array(rgb.prefix(iend + 6)), [.truncated(expected: 12, at: iend)]),
        Damage("a flipped byte in the IDAT CRC", rgb.flipping(iend - 1), [.badChunkCRC(chunk: "IDAT", offset: idat)]),
        Damage("a flipped byte in the IHDR CRC", rgb.flipping(idat - 2), [.badChunkCRC(chunk: "IHDR", offset: 8)]),
        Damage("a flipped bit in the IEND CRC", rgb.flipping(rgb.count - 1, mask: 1), [.badChunkCRC(chunk: "IEND", offset: iend)]),
        Damage("an IDAT length pointing past the end", rgb.replacing(idat, with: be32(1000)),
               [.truncated(expected: 1012, at: idat)]),
        Damage("an IDAT length above 2^31-1", rgb.replacing(idat, with: be32(0x8000_0000)),
               [.badLength(chunk: "IDAT", length: 0x8000_0000, offset: idat)]),
        Damage("an IHDR length of 12 (CRC fixed)",
               pngFile([PNGChunk(type: "IHDR", data: Array(pngChunks(rgb)[0].data.prefix(12)))] + pngChunks(rgb).dropFirst()),
               [.badLength(chunk: "IHDR", length: 12, offset: 8)]),
        Damage("an IEND with data", pngFile(pngChunks(rgb).dropLast() + [PNGChunk(type: "IEND", data: [0])]),
               [.badLength(chunk: "IEND", length: 1, offset: iend)]),
        Damage("trailing garbage after IEND", rgb + [1, 2, 3, 4, 5], [.trailingBytes(count: 5)]),
        Damage("a chunk after IEND", rgb + PNGChunk(type: "tEXt", data: ascii("a\0b")).bytes, [.trailingBytes(count: 15)]),
        Damage("a signature whose CR LF became LF", Array(rgb[0..<4]) + [0x0A, 0x1A, 0x0A] + rgb[8...],
               [.badSignature(expected: pngSignature, found: [0x89, 0x50, 0x4E, 0x47, 0x0A, 0x1A, 0x0A, 0x00])]),
        Damage("a chunk type that is not letters", rgb.replacing(idat + 4, with: [0x49, 0x44, 0x00, 0x54]),
               [.badChunkType(bytes: [0x49, 0x44, 0x00, 0x54], offset: idat)]),

        // Header fields, with the CRC fixed up so that only the field is odd.
        Damage("an IHDR claiming 100000×100000: the data is far shorter than the header needs",
               pngWithHeader(rgb, width: 100_000, height: 100_000),
               [.imageDataTooShort(expected: 100_000 * (1 + 300_000), actual: rgbImageData)]),
        Damage("an IHDR claiming 2^31-1 × 2^31-1 with 16-bit RGBA: the needed size overflows and is reported as Int.max",
               pngWithHeader(rgb, width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, bitDepth: 16, colorType: 6),
               [.imageDataTooShort(expected: Int.max, actual: rgbImageData)]),
        Damage("an IHDR claiming 4×6: the data is longer than the header needs",
               pngWithHeader(rgb, width: 4), [.imageDataTooLong(expected: 6 * (1 + 12))]),
        // Adam7 passes of 8×6 RGB: 1×1, 1×1, 2×1, 2×2, 4×1, 4×3, 8×3 pixels; each row 1 + 3 × width bytes.
        Damage("an IHDR claiming interlacing for non-interlaced data",
               pngWithHeader(rgb, interlace: 1), [.imageDataTooShort(expected: 4 + 4 + 7 + 14 + 13 + 39 + 75, actual: rgbImageData)]),
        Damage("a zero width", pngWithHeader(rgb, width: 0), [.zeroDimensions]),
        Damage("a height above 2^31-1", pngWithHeader(rgb, height: 0x8000_0000),
               [.dimensionsTooLarge(width: 8, height: 0x8000_0000)]),
        Damage("bit depth 4 with RGB", pngWithHeader(rgb, bitDepth: 4), [.invalidBitDepth(bitDepth: 4, colorType: 2, offset: 24)]),
        Damage("bit depth 16 with a palette", pngWithHeader(Fixtures.pngPalette4bitTRNS5x3, bitDepth: 16),
               [.invalidBitDepth(bitDepth: 16, colorType: 3, offset: 24)]),
        Damage("colour type 5", pngWithHeader(rgb, colorType: 5), [.invalidHeader(field: "colour type", value: 5, offset: 25)]),
        Damage("interlace method 2", pngWithHeader(rgb, interlace: 2),
               [.invalidHeader(field: "interlace method", value: 2, offset: 28)]),

        // Chunk order and presence.
        Damage("no IDAT", pngFile(pngChunks(rgb).filter { $0.type != "IDAT" }), [.missingChunk("IDAT")]),
        Damage("no IHDR", pngFile(Array(pngChunks(rgb).dropFirst())), [.missingChunk("IHDR")]),
        Damage("a palette image without PLTE",
               pngFile(pngChunks(Fixtures.pngPalette4bitTRNS5x3).filter { $0.type != "PLTE" }), [.missingChunk("PLTE")]),
        Damage("an unknown critical chunk", pngFile(pngChunks(rgb).prefix(1) + [PNGChunk(type: "QUUX", data: [1])] + pngChunks(rgb).dropFirst()),
               [.unknownCriticalChunk(chunk: "QUUX", offset: 33)]),
        Damage("a second IHDR", pngFile(pngChunks(rgb).prefix(1) + pngChunks(rgb)),
               [.misplacedChunk(chunk: "IHDR", offset: 33)]),
        Damage("a tEXt chunk between two IDAT chunks",
               pngFile(splitChunks.prefix(3) + [PNGChunk(type: "tEXt", data: ascii("k\0v"))] + splitChunks.dropFirst(3)),
               [.misplacedChunk(chunk: "IDAT", offset: splitChunks[3].offset + 15)]),
        Damage("a tRNS chunk after the IDAT chunks",
               pngFile(pngChunks(rgb).dropLast() + [PNGChunk(type: "tRNS", data: [0, 1, 0, 2, 0, 3]), pngChunks(rgb).last!]),
               [.misplacedChunk(chunk: "tRNS", offset: iend)]),

        // The zlib stream, with every CRC correct.
        Damage("the last IDAT chunk missing: the zlib stream does not end",
               pngFile(splitChunks.filter { $0.offset != splitChunks[splitChunks.count - 2].offset }),
               [.compressedDataIncomplete]),
        Damage("IDAT data that is not zlib",
               pngFile(pngChunks(rgb).map { $0.type == "IDAT" ? PNGChunk(type: "IDAT", data: [0x78, 0x9C, 0xFF, 0xFF, 0xFF]) : $0 }),
               [.compressedDataInvalid(offset: idat, message: "invalid block type")]),
        Damage("an IDAT chunk after the end of the zlib stream",
               pngFile(pngChunks(rgb).dropLast() + [PNGChunk(type: "IDAT", data: [0]), pngChunks(rgb).last!]),
               [.extraCompressedData(offset: iend)]),
    ]

    @Test("A damaged PNG reports exactly what is wrong and where", arguments: damages)
    func damaged(_ damage: Damage) {
        let result = ImageInspector.inspect(damage.bytes)
        #expect(result.format == .png)
        #expect(result.problems == damage.expected)
        #expect(!result.isComplete)
    }

    @Test("A flipped byte inside IDAT data is caught by the CRC (and zlib or the size check may add more)")
    func flippedDataByte() {
        let result = ImageInspector.inspect(rgb.flipping(idat + 8 + 20))
        #expect(result.problems.first == .badChunkCRC(chunk: "IDAT", offset: idat))
    }

    @Test("A corrupted IDAT length that stays in bounds breaks the CRC and then the framing")
    func shortenedLength() {
        let result = ImageInspector.inspect(rgb.replacing(idat, with: be32(16)))
        #expect(result.problems.first == .badChunkCRC(chunk: "IDAT", offset: idat))
        #expect(result.problems.count >= 2)
    }

    @Test("Every single-byte change to a PNG is detected", arguments: [Fixtures.pngRGB8x6, Fixtures.pngPalette4bitTRNS5x3])
    func everyByteFlipDetected(_ png: [UInt8]) {
        for offset in png.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                let result = ImageInspector.inspect(png.flipping(offset, mask: mask))
                #expect(!result.isComplete, "flip \(mask) at \(offset) not detected")
            }
        }
    }

    @Test("The header's size is reported even when the data is short")
    func hugeHeaderKeepsItsSize() {
        let result = ImageInspector.inspect(pngWithHeader(rgb, width: 100_000, height: 100_000))
        #expect(result.width == 100_000)
        #expect(result.height == 100_000)
        #expect(result.hasAlpha == false)
    }

    @Test("Options: the image data check can be switched off or capped, leaving the structural checks")
    func options() {
        let huge = pngWithHeader(rgb, width: 100_000, height: 100_000)
        #expect(ImageInspector.inspect(huge, options: InspectionOptions(verifyImageData: false)).problems == [])
        #expect(ImageInspector.inspect(huge, options: InspectionOptions(maxDecompressedBytes: 100)).problems == [])
        let crcAndSize = pngWithHeader(rgb, width: 100_000, height: 100_000).flipping(iend - 1)
        let capped = ImageInspector.inspect(crcAndSize, options: InspectionOptions(maxProblems: 1))
        #expect(capped.problems == [.badChunkCRC(chunk: "IDAT", offset: idat), .tooManyProblems(limit: 1)])
    }
}

@Suite("PNG image data, inflated in a fixed buffer")
struct PNGImageDataTests {
    private func png(width: UInt32, height: UInt32, idat: [UInt8]) -> [UInt8] {
        let ihdr = be32(width) + be32(height) + [8, 0, 0, 0, 0]   // 8-bit greyscale
        return pngFile([PNGChunk(type: "IHDR", data: ihdr), PNGChunk(type: "IDAT", data: idat), PNGChunk(type: "IEND", data: [])])
    }

    @Test("Image data spanning many output buffers is measured exactly")
    func manyBuffers() {
        let size = 100 * (1 + 1000)
        let result = ImageInspector.inspect(png(width: 1000, height: 100, idat: zlibZeros(count: size)))
        #expect(result.problems == [])
        #expect(ImageInspector.inspect(png(width: 1000, height: 101, idat: zlibZeros(count: size))).problems
            == [.imageDataTooShort(expected: 101 * 1001, actual: size)])
    }

    @Test("A header claiming 100000×100000 over ten megabytes of image data is reported, cheaply")
    func hugeClaimOverBigData() {
        let actual = 1 + 258 * 40_000
        let result = ImageInspector.inspect(png(width: 100_000, height: 100_000, idat: zlibZeros(count: actual)))
        #expect(result.problems == [.imageDataTooShort(expected: 100_000 * 100_001, actual: actual)])
    }

    @Test("A decompression bomb behind a small header stops one byte past the header's size")
    func bombBehindSmallHeader() {
        let result = ImageInspector.inspect(png(width: 1, height: 1, idat: zlibZeros(count: 1 + 258 * 40_000)))
        #expect(result.problems == [.imageDataTooLong(expected: 2)])
    }

    @Test("Past maxDecompressedBytes the size is left unjudged")
    func limit() {
        let bytes = png(width: 100_000, height: 100_000, idat: zlibZeros(count: 1 + 258 * 40_000))
        #expect(ImageInspector.inspect(bytes, options: InspectionOptions(maxDecompressedBytes: 1 << 20)).problems == [])
    }
}
