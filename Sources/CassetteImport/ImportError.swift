/// Why a file could not be imported, with what to do about it.
public enum ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unknownFormat(file: String)
    case malformed(file: String, place: String, reason: String)
    case nothingToImport(file: String, skipped: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "cannot read \(file): \(reason)"
        case .unknownFormat(let file):
            "\(file) is neither a vcrpy cassette (top-level `interactions`) nor a HAR file (`log.entries`); pass --format vcrpy or --format har if it is one"
        case .malformed(let file, let place, let reason):
            "\(file), \(place): \(reason)"
        case .nothingToImport(let file, let skipped):
            "\(file) holds no exchange with an image surface's endpoint (Specs/surfaces/*.yaml: POST /v1/images/generations, /v1/images/edits, /v1/responses, after any prefix)"
                + (skipped.isEmpty ? "; it has no exchanges at all" : "; skipped: \(skipped.joined(separator: "; "))")
        }
    }
}
