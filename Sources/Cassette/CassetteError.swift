/// Why a cassette could not be loaded or saved. Each case names the file and says what to do.
public enum CassetteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (or folder) could not be read: missing, a folder, no permission.
    case unreadable(path: String, reason: String)
    /// The file is not JSON.
    case invalidJSON(path: String, reason: String)
    /// The file's `format` is not `tapedeck-cassette/1`; nil when it has none.
    case unsupportedFormat(path: String, found: String?)
    /// A field is missing or holds the wrong kind of value. `field` is its path, e.g. `response.chunks[3]`.
    case invalidField(path: String, field: String, reason: String)
    /// A blob the cassette refers to is not in its `blobs/` folder.
    case missingBlob(path: String, blob: String, sha256: String)
    /// A blob holds a different number of bytes than the cassette records.
    case blobLengthMismatch(path: String, blob: String, expected: Int, actual: Int)
    /// A blob's SHA-256 is not the one its name and the cassette promise.
    case blobHashMismatch(path: String, blob: String, expected: String, actual: String)
    /// The chunk lengths do not add up to the body's length.
    case chunksDoNotAddUp(path: String, chunkTotal: Int, bodyLength: Int)
    /// The cassette contradicts itself (e.g. a chunk time for each chunk is missing).
    case inconsistent(path: String, reason: String)
    /// The path cannot hold a cassette.
    case invalidPath(path: String, reason: String)
    /// Writing failed.
    case unwritable(path: String, reason: String)

    /// The cassette (or folder) the error is about.
    public var path: String {
        switch self {
        case .unreadable(let path, _), .invalidJSON(let path, _), .unsupportedFormat(let path, _),
             .invalidField(let path, _, _), .missingBlob(let path, _, _), .blobLengthMismatch(let path, _, _, _),
             .blobHashMismatch(let path, _, _, _), .chunksDoNotAddUp(let path, _, _), .inconsistent(let path, _),
             .invalidPath(let path, _), .unwritable(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidJSON(let path, let reason):
            "\(path) is not valid JSON (\(reason)); fix the file, or record the cassette again"
        case .unsupportedFormat(let path, let found?):
            "\(path) has format `\(found)`, but this version of Tapedeck reads `\(Cassette.formatVersion)` and `\(Cassette.progressFormatVersion)`; use a Tapedeck that reads it, or record the cassette again"
        case .unsupportedFormat(let path, nil):
            "\(path) has no `format` field, so it is not a Tapedeck cassette (one starts with \"format\": \"\(Cassette.formatVersion)\")"
        case .invalidField(let path, let field, let reason):
            "\(path): `\(field)` \(reason); fix the field (Cassettes/README.md describes the format), or record the cassette again"
        case .missingBlob(let path, let blob, let sha256):
            "\(path) needs the blob \(blob) (sha256 \(sha256)), which is missing; restore the blobs/ folder that travels beside the cassette, or record the cassette again"
        case .blobLengthMismatch(let path, let blob, let expected, let actual):
            "the blob \(blob), which \(path) needs, holds \(actual) bytes instead of \(expected): it was truncated or altered; restore it from version control, or record the cassette again"
        case .blobHashMismatch(let path, let blob, let expected, let actual):
            "the blob \(blob), which \(path) needs, has sha256 \(actual) instead of \(expected): it was altered; restore it from version control, or record the cassette again"
        case .chunksDoNotAddUp(let path, let chunkTotal, let bodyLength):
            "\(path): the chunk lengths in `response.chunks` add up to \(chunkTotal) bytes, but the body holds \(bodyLength); fix the chunks so they cover the body exactly"
        case .inconsistent(let path, let reason):
            "\(path): \(reason)"
        case .invalidPath(let path, let reason):
            "cannot use \(path): \(reason)"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
