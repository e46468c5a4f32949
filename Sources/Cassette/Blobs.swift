import Crypto

/// A run of base64 text cut out of a body and kept beside the cassette in `blobs/<sha256>.b64`.
struct BlobReference: Hashable, Sendable {
    /// Where the run starts in the full body.
    var at: Int
    var length: Int
    /// The SHA-256 of the run's bytes, in lowercase hex: also the blob's file name.
    var sha256: String

    var range: Range<Int> { at..<(at + length) }
    var fileName: String { "\(sha256).b64" }
}

/// How a body is split between the cassette file and its blobs.
enum BodyLayout {
    /// The shortest base64 run kept as a blob: 64 KiB.
    static let minimumBlobLength = 64 << 10

    /// The maximal runs of base64 characters (A–Z a–z 0–9 + / =) at least `minimumLength` long.
    static func base64Runs(in bytes: [UInt8], minimumLength: Int = minimumBlobLength) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buffer in
            isBase64Table.withUnsafeBufferPointer { table in
                var index = 0
                let count = buffer.count
                while index < count {
                    guard table[Int(buffer[index])] else {
                        index += 1
                        continue
                    }
                    let start = index
                    while index < count, table[Int(buffer[index])] {
                        index += 1
                    }
                    if index - start >= minimumLength { runs.append(start..<index) }
                }
            }
        }
        return runs
    }

    static let isBase64Table: [Bool] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }

    static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}

enum Digest {
    static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hex(hasher.finalize())
    }

    static func sha256Hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBytes { sha256Hex($0) }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension FilePart {
    /// Describes a file part by its contents: size and SHA-256 are kept, the bytes are not.
    public init(name: String, filename: String, contentType: String, contents: [UInt8]) {
        self.init(name: name, filename: filename, contentType: contentType, size: contents.count, sha256: Digest.sha256Hex(contents[...]))
    }
}
