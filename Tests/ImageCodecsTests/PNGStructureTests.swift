import ImageCodecs
import ImageFormats
import Testing

/// The hand-written PNG: its header fields and its chunk layout.
@Suite("PNG files are laid out as written by hand")
struct PNGStructureTests {
    /// (type, data length) of each chunk after the signature.
    static func chunks(_ png: [UInt8]) -> [(type: String, length: Int)] {
        var chunks: [(String, Int)] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            chunks.append((String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self), length))
            offset += 12 + length
        }
        return chunks
    }

    @Test("IHDR says 8-bit RGB, or RGBA with alpha, deflate, no interlace", arguments: [false, true])
    func header(hasAlpha: Bool) throws {
        let png = try ImageEncoder.encode(Picture(width: 300, height: 70_000 / 300, hasAlpha: hasAlpha), as: .png)
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Self.chunks(png).first?.type == "IHDR")
        #expect(Array(png[24..<29]) == [8, hasAlpha ? 6 : 2, 0, 0, 0])
    }

    @Test("chunks are IHDR, IDAT..., IEND")
    func chunkOrder() throws {
        let types = Self.chunks(try ImageEncoder.encode(Picture(width: 64, height: 48), as: .png)).map(\.type)
        #expect(types == ["IHDR", "IDAT", "IEND"])
    }

    @Test("a large PNG streams its image data as several IDAT chunks of at most 256 KiB")
    func largeImageSplitsIDAT() throws {
        let png = try ImageEncoder.encode(Picture(width: 7680, height: 4320, hasAlpha: true, seed: 7), as: .png)
        let chunks = Self.chunks(png)
        let idat = chunks.filter { $0.type == "IDAT" }
        #expect(idat.count >= 2)
        #expect(idat.allSatisfy { $0.length <= 256 * 1024 && $0.length > 0 })
        #expect(idat.dropLast().allSatisfy { $0.length == 256 * 1024 })
        #expect(chunks.map(\.type) == ["IHDR"] + Array(repeating: "IDAT", count: idat.count) + ["IEND"])
        let inspection = ImageInspector.inspect(png)
        #expect(inspection.isComplete, "\(describe(inspection))")
        #expect(inspection.width == 7680 && inspection.height == 4320)
    }
}
