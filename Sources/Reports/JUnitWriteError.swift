/// Why a JUnit report could not be made or written.
public enum JUnitWriteError: Error, Equatable, CustomStringConvertible {
    /// libxml2 refused a call, which happens only when it runs out of memory.
    case libxml2(String)
    /// The report could not be written to disk.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .libxml2(let call):
            "libxml2 failed in \(call) while writing the JUnit report; check free memory and the libxml2 install (`tapedeck version`)"
        case .unwritable(let path, let reason):
            "cannot write the JUnit report to '\(path)': \(reason); choose a writable path"
        }
    }
}
