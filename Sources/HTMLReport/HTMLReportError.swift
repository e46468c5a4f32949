/// Why a report page could not be written.
public enum HTMLReportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The folder could not be created or the file written; `reason` is the system's.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            "cannot write the HTML report \(path): \(reason); choose a writable folder (record's --report, cassette show's --out)"
        }
    }
}
