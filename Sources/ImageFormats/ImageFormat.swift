/// The image container formats that `ImageInspector` understands.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp

    /// The format a file name extension names (`png`, `jpg` or `jpeg`, `webp`), or nil.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "webp": self = .webp
        default: return nil
        }
    }

    /// The format whose magic bytes `bytes` start with, or nil.
    ///
    /// Input shorter than the magic counts when it is a prefix of it (a one-byte `0x89` is a
    /// truncated PNG), so that a cut-off payload is reported as a truncated image of that format.
    /// PNG is recognised by its first four bytes (`89 50 4E 47`) so that a signature mangled by a
    /// line-ending conversion is still reported as a PNG with a bad signature; JPEG by `FF D8`;
    /// WebP by `RIFF` at 0 and `WEBP` at 8.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        let n = bytes.count
        guard n > 0 else { return nil }
        if startsWithPrefix(bytes, of: pngMagic) { return .png }
        if startsWithPrefix(bytes, of: jpegMagic) { return .jpeg }
        if startsWithPrefix(bytes, of: riffMagic) {
            if n <= 8 { return .webp }
            let formEnd = min(n, 12)
            for i in 8..<formEnd where bytes[i] != webpMagic[i - 8] { return nil }
            return .webp
        }
        return nil
    }

    /// `detect` for any byte collection.
    public static func detect(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(12))
        return head.withUnsafeBytes { detect($0) }
    }

    static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
    static let jpegMagic: [UInt8] = [0xFF, 0xD8]
    static let riffMagic: [UInt8] = Array("RIFF".utf8)
    static let webpMagic: [UInt8] = Array("WEBP".utf8)

    /// True when the first min(count, magic.count) bytes equal the magic.
    private static func startsWithPrefix(_ bytes: UnsafeRawBufferPointer, of magic: [UInt8]) -> Bool {
        let m = min(bytes.count, magic.count)
        for i in 0..<m where bytes[i] != magic[i] { return false }
        return true
    }
}
