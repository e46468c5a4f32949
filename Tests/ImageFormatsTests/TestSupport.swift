import ImageFormats
import Testing

// Helpers to take the fixtures apart and put damaged copies together again.

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit: the test target has no zlib.
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func be32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

func le32(_ value: UInt32) -> [UInt8] { be32(value).reversed() }

func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

extension Array where Element == UInt8 {
    /// A copy with `count` bytes at `offset` replaced by `bytes`.
    func replacing(_ offset: Int, with bytes: [UInt8]) -> [UInt8] {
        var copy = self
        copy.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        return copy
    }

    /// A copy with the byte at `offset` XORed with `mask`.
    func flipping(_ offset: Int, mask: UInt8 = 0xFF) -> [UInt8] {
        var copy = self
        copy[offset] ^= mask
        return copy
    }
}

// MARK: PNG

struct PNGChunk: Equatable {
    var type: String
    var data: [UInt8]
    /// Offset of the length field in the file it was read from.
    var offset = 0

    var bytes: [UInt8] {
        let typeBytes = ascii(type)
        return be32(UInt32(data.count)) + typeBytes + data + be32(crc32(typeBytes + data))
    }
}

let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// The chunks of a well-formed PNG.
func pngChunks(_ png: [UInt8]) -> [PNGChunk] {
    var chunks: [PNGChunk] = []
    var pos = 8
    while pos + 12 <= png.count {
        let length = Int(png[pos]) << 24 | Int(png[pos + 1]) << 16 | Int(png[pos + 2]) << 8 | Int(png[pos + 3])
        let type = String(decoding: png[(pos + 4)..<(pos + 8)], as: UTF8.self)
        chunks.append(PNGChunk(type: type, data: Array(png[(pos + 8)..<(pos + 8 + length)]), offset: pos))
        pos += 12 + length
    }
    return chunks
}

/// A PNG made of `chunks`, each with a correct CRC.
func pngFile(_ chunks: some Sequence<PNGChunk>) -> [UInt8] {
    pngSignature + chunks.flatMap(\.bytes)
}

/// The offset of the first chunk of `type` in a well-formed PNG.
func pngOffset(of type: String, in png: [UInt8]) -> Int {
    pngChunks(png).first { $0.type == type }?.offset ?? -1
}

/// A copy of `png` with the IHDR fields replaced and the IHDR CRC fixed, so only the fields differ.
func pngWithHeader(
    _ png: [UInt8], width: UInt32? = nil, height: UInt32? = nil,
    bitDepth: UInt8? = nil, colorType: UInt8? = nil, interlace: UInt8? = nil
) -> [UInt8] {
    var chunks = pngChunks(png)
    var ihdr = chunks[0].data
    if let width { ihdr.replaceSubrange(0..<4, with: be32(width)) }
    if let height { ihdr.replaceSubrange(4..<8, with: be32(height)) }
    if let bitDepth { ihdr[8] = bitDepth }
    if let colorType { ihdr[9] = colorType }
    if let interlace { ihdr[12] = interlace }
    chunks[0].data = ihdr
    return pngFile(chunks)
}

// MARK: JPEG

struct JPEGSegment {
    var marker: UInt8
    var offset: Int
    /// The length field's value (which counts itself).
    var length: Int
}

/// The marker segments of a well-formed JPEG from SOI up to and including the first SOS.
func jpegSegments(_ jpeg: [UInt8]) -> [JPEGSegment] {
    var segments: [JPEGSegment] = []
    var pos = 2
    while pos + 4 <= jpeg.count, jpeg[pos] == 0xFF {
        let marker = jpeg[pos + 1]
        let length = Int(jpeg[pos + 2]) << 8 | Int(jpeg[pos + 3])
        segments.append(JPEGSegment(marker: marker, offset: pos, length: length))
        if marker == 0xDA { break }
        pos += 2 + length
    }
    return segments
}

func jpegSegment(_ marker: UInt8, in jpeg: [UInt8]) -> JPEGSegment {
    jpegSegments(jpeg).first { $0.marker == marker } ?? JPEGSegment(marker: marker, offset: -1, length: 0)
}

// MARK: WebP

/// A RIFF/WEBP file of `chunks` (FourCC, payload), each padded to even length, with the RIFF
/// size counting everything after it (`riffSizeDelta` is added to it).
func webpFile(_ chunks: [(String, [UInt8])], riffSizeDelta: Int = 0) -> [UInt8] {
    var body = ascii("WEBP")
    for (fourCC, payload) in chunks {
        body += ascii(fourCC) + le32(UInt32(payload.count)) + payload
        if payload.count % 2 == 1 { body.append(0) }
    }
    return ascii("RIFF") + le32(UInt32(body.count + riffSizeDelta)) + body
}

/// The (FourCC, payload) chunks of a well-formed WebP.
func webpChunks(_ webp: [UInt8]) -> [(String, [UInt8])] {
    var chunks: [(String, [UInt8])] = []
    var pos = 12
    while pos + 8 <= webp.count {
        let size = Int(webp[pos + 4]) | Int(webp[pos + 5]) << 8 | Int(webp[pos + 6]) << 16 | Int(webp[pos + 7]) << 24
        chunks.append((String(decoding: webp[pos..<(pos + 4)], as: UTF8.self), Array(webp[(pos + 8)..<(pos + 8 + size)])))
        pos += 8 + size + size % 2
    }
    return chunks
}

// MARK: Tables

/// One named damage to a fixture and the problems it must produce.
struct Damage: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: [ImageProblem]
    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ expected: [ImageProblem]) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }
}

/// A complete fixture and what inspecting it must say.
struct Intact: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var format: ImageFormat
    var width: Int
    var height: Int
    var hasAlpha: Bool
    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ format: ImageFormat, _ width: Int, _ height: Int, alpha: Bool) {
        self.name = name
        self.bytes = bytes
        self.format = format
        self.width = width
        self.height = height
        self.hasAlpha = alpha
    }
}

let allFixtures: [Intact] = [
    Intact("PNG RGB 8-bit", Fixtures.pngRGB8x6, .png, 8, 6, alpha: false),
    Intact("PNG RGBA 8-bit", Fixtures.pngRGBA8x6, .png, 8, 6, alpha: true),
    Intact("PNG greyscale 16-bit", Fixtures.pngGray16_7x5, .png, 7, 5, alpha: false),
    Intact("PNG Adam7-interlaced", Fixtures.pngInterlacedRGB9x7, .png, 9, 7, alpha: false),
    Intact("PNG 4-bit palette with tRNS", Fixtures.pngPalette4bitTRNS5x3, .png, 5, 3, alpha: true),
    Intact("PNG 1-bit greyscale with tEXt", Fixtures.pngGray1bit10x3, .png, 10, 3, alpha: false),
    Intact("PNG with its zlib stream over many IDAT chunks", Fixtures.pngSplitIDAT12x10, .png, 12, 10, alpha: false),
    Intact("JPEG baseline", Fixtures.jpegBaseline8x6, .jpeg, 8, 6, alpha: false),
    Intact("JPEG progressive", Fixtures.jpegProgressive8x6, .jpeg, 8, 6, alpha: false),
    Intact("JPEG with restart markers", Fixtures.jpegRestart40x30, .jpeg, 40, 30, alpha: false),
    Intact("JPEG greyscale", Fixtures.jpegGray8x6, .jpeg, 8, 6, alpha: false),
    Intact("WebP lossy (VP8)", Fixtures.webpLossy8x6, .webp, 8, 6, alpha: false),
    Intact("WebP lossless (VP8L)", Fixtures.webpLossless8x6, .webp, 8, 6, alpha: false),
    Intact("WebP lossy with alpha (VP8X + ALPH + VP8)", Fixtures.webpLossyAlpha8x6, .webp, 8, 6, alpha: true),
    Intact("WebP lossless with alpha (VP8L alpha hint)", Fixtures.webpLosslessAlpha8x6, .webp, 8, 6, alpha: true),
]

// MARK: zlib without zlib

/// A zlib stream (one fixed-Huffman deflate block) that inflates to `count` zero bytes: literal
/// zeros, then copies of 258 bytes at distance 1. About 13 bits per 258 output bytes, so large
/// outputs come from small inputs, as in a decompression bomb.
func zlibZeros(count: Int) -> [UInt8] {
    precondition(count > 0)
    var out: [UInt8] = [0x78, 0x01]
    var bitBuffer: UInt32 = 0, bitCount = 0
    func bits(_ value: UInt32, _ n: Int) {          // LSB first, as deflate packs header fields
        bitBuffer |= value << UInt32(bitCount)
        bitCount += n
        while bitCount >= 8 {
            out.append(UInt8(bitBuffer & 0xFF))
            bitBuffer >>= 8
            bitCount -= 8
        }
    }
    func code(_ value: UInt32, _ n: Int) {          // Huffman codes go MSB first
        var reversed: UInt32 = 0
        for i in 0..<n where value & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(n - 1 - i) }
        bits(reversed, n)
    }
    bits(1, 1)   // BFINAL
    bits(1, 2)   // BTYPE 01: fixed Huffman codes
    let matches = (count - 1) / 258
    for _ in 0..<(count - matches * 258) { code(0x30, 8) }   // literal 0
    for _ in 0..<matches {
        code(0xC5, 8)   // length code 285: 258 bytes
        code(0, 5)      // distance code 0: distance 1
    }
    code(0, 7)          // end of block (256)
    if bitCount > 0 { bits(0, 8 - bitCount) }
    // Adler-32 of `count` zeros: a = 1, b = count.
    return out + be32(UInt32(count % 65521) << 16 | 1)
}
