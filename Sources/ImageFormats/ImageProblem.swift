/// One structural fault in an image's bytes. Offsets are byte offsets from the start of the
/// input. `chunk` names are PNG chunk types ("IDAT"), JPEG marker names ("SOF0", "DQT") or
/// WebP FourCCs ("VP8 ", "VP8L"), exactly as they appear in the file.
public enum ImageProblem: Hashable, Sendable, CustomStringConvertible {
    /// The input has no bytes.
    case empty
    /// The magic bytes match no supported format; up to 16 of the first bytes.
    case unknownFormat(firstBytes: [UInt8])
    /// PNG: the first 8 bytes start like a PNG signature but differ from it (often a sign of a
    /// text-mode transfer that rewrote line endings).
    case badSignature(expected: [UInt8], found: [UInt8])
    /// The structure starting at offset `at` needs `expected` bytes, but the input ends first.
    case truncated(expected: Int, at: Int)
    /// The input goes on for `count` bytes after the image's end (PNG IEND, JPEG EOI,
    /// the WebP RIFF size).
    case trailingBytes(count: Int)
    /// A chunk, segment or the RIFF header at `offset` declares a length that is impossible
    /// for it (PNG: above 2^31-1 or wrong for the chunk type; JPEG: below 2 or disagreeing with
    /// the component count; WebP: too short for the chunk's header).
    case badLength(chunk: String, length: Int, offset: Int)
    /// A chunk type at `offset` is not a valid four-letter code, so the structure is lost.
    case badChunkType(bytes: [UInt8], offset: Int)
    /// PNG: the CRC of the chunk starting at `offset` does not match its type and data.
    case badChunkCRC(chunk: String, offset: Int)
    /// PNG: a critical chunk (upper-case first letter) that no decoder is required to know.
    case unknownCriticalChunk(chunk: String, offset: Int)
    /// A chunk or segment where the format does not allow it (a second IHDR, IDAT chunks that
    /// are not consecutive, PLTE after IDAT, a second WebP image chunk, a JPEG SOS before SOF, ...).
    case misplacedChunk(chunk: String, offset: Int)
    /// A required chunk or segment never appeared: "IHDR", "IDAT", "PLTE", "SOF", "SOS",
    /// "VP8 /VP8L", "ANIM", "ANMF".
    case missingChunk(String)
    /// The input ends cleanly but without the end marker: "IEND" (PNG) or "EOI" (JPEG; the
    /// entropy-coded data runs to the end of the input).
    case missingEnd(String)
    /// A header field at `offset` holds a value the format does not allow.
    case invalidHeader(field: String, value: Int, offset: Int)
    /// PNG: a bit depth (at `offset`) that the colour type does not allow.
    case invalidBitDepth(bitDepth: Int, colorType: Int, offset: Int)
    /// The header gives a width or a height of 0.
    case zeroDimensions
    /// The header gives dimensions beyond the format's limit (PNG: 2^31-1 per side; WebP VP8X:
    /// width × height above 2^32-1).
    case dimensionsTooLarge(width: Int, height: Int)
    /// WebP: the VP8X canvas and the image chunk disagree on the size.
    case canvasMismatch(canvasWidth: Int, canvasHeight: Int, imageWidth: Int, imageHeight: Int)
    /// WebP: the RIFF size field says the file is `declared` bytes long (size + 8), while its
    /// chunks end at `actual`.
    case riffSizeMismatch(declared: Int, actual: Int)
    /// JPEG: a byte other than 0xFF where a marker should start.
    case expectedMarker(offset: Int, found: UInt8)
    /// JPEG: a marker that is reserved or out of place (a second SOI, RSTn outside a scan).
    case unexpectedMarker(marker: UInt8, offset: Int)
    /// PNG: zlib rejected the image data; `offset` is the IDAT chunk where it happened.
    case compressedDataInvalid(offset: Int, message: String)
    /// PNG: the zlib stream in the IDAT chunks does not end (no Z_STREAM_END).
    case compressedDataIncomplete
    /// PNG: the IDAT chunk at `offset` holds bytes after the end of the zlib stream.
    case extraCompressedData(offset: Int)
    /// PNG: the image data inflates to `actual` bytes, fewer than the `expected` bytes that the
    /// header's size, bit depth, colour type and interlacing imply (`Int.max` when that product
    /// overflows).
    case imageDataTooShort(expected: Int, actual: Int)
    /// PNG: the image data inflates to more than the `expected` bytes the header implies.
    case imageDataTooLong(expected: Int)
    /// Further problems were not recorded.
    case tooManyProblems(limit: Int)

    public var description: String {
        switch self {
        case .empty:
            return "no bytes"
        case .unknownFormat(let firstBytes):
            return firstBytes.isEmpty ? "unknown format" : "unknown format: starts with \(hex(firstBytes))"
        case .badSignature(let expected, let found):
            return "bad signature at offset 0: expected \(hex(expected)), found \(hex(found))"
        case .truncated(let expected, let at):
            return "truncated: \(expected) bytes needed at offset \(at), the input ends first"
        case .trailingBytes(let count):
            return "\(count) trailing byte\(count == 1 ? "" : "s") after the end of the image"
        case .badLength(let chunk, let length, let offset):
            return "\(quoted(chunk)) at offset \(offset) has an invalid length \(length)"
        case .badChunkType(let bytes, let offset):
            return "invalid chunk type \(hex(bytes)) at offset \(offset)"
        case .badChunkCRC(let chunk, let offset):
            return "\(quoted(chunk)) chunk at offset \(offset) has a bad CRC"
        case .unknownCriticalChunk(let chunk, let offset):
            return "unknown critical chunk \(quoted(chunk)) at offset \(offset)"
        case .misplacedChunk(let chunk, let offset):
            return "\(quoted(chunk)) at offset \(offset) is not allowed there"
        case .missingChunk(let chunk):
            return "no \(quoted(chunk))"
        case .missingEnd(let marker):
            return "no \(quoted(marker)): the input ends before the image does"
        case .invalidHeader(let field, let value, let offset):
            return "invalid \(field) \(value) at offset \(offset)"
        case .invalidBitDepth(let bitDepth, let colorType, let offset):
            return "bit depth \(bitDepth) at offset \(offset) is not allowed with colour type \(colorType)"
        case .zeroDimensions:
            return "the header gives a width or height of 0"
        case .dimensionsTooLarge(let width, let height):
            return "dimensions \(width)×\(height) exceed the format's limit"
        case .canvasMismatch(let cw, let ch, let iw, let ih):
            return "VP8X canvas is \(cw)×\(ch) but the image is \(iw)×\(ih)"
        case .riffSizeMismatch(let declared, let actual):
            return "RIFF size says the file is \(declared) bytes, its chunks end at \(actual)"
        case .expectedMarker(let offset, let found):
            return "expected a marker (0xFF) at offset \(offset), found \(hex([found]))"
        case .unexpectedMarker(let marker, let offset):
            return "unexpected marker FF\(hex([marker])) at offset \(offset)"
        case .compressedDataInvalid(let offset, let message):
            return "image data is not valid zlib data (IDAT at offset \(offset)): \(message)"
        case .compressedDataIncomplete:
            return "the image data's zlib stream does not end"
        case .extraCompressedData(let offset):
            return "IDAT at offset \(offset) has data after the end of the zlib stream"
        case .imageDataTooShort(let expected, let actual):
            let need = expected == Int.max ? "more than \(Int.max)" : "\(expected)"
            return "image data inflates to \(actual) bytes, the header needs \(need)"
        case .imageDataTooLong(let expected):
            return "image data inflates to more than the \(expected) bytes the header needs"
        case .tooManyProblems(let limit):
            return "more than \(limit) problems; the rest are not listed"
        }
    }
}

private func quoted(_ name: String) -> String { "'\(name)'" }

private func hex(_ bytes: [UInt8]) -> String {
    let digits: [Character] = Array("0123456789ABCDEF")
    var s = ""
    for (i, b) in bytes.enumerated() {
        if i > 0 { s.append(" ") }
        s.append(digits[Int(b >> 4)])
        s.append(digits[Int(b & 0xF)])
    }
    return s
}
