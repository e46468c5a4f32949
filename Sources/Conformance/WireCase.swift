import Foundation

/// A plain event stream from the WHATWG parsing suite (`Cassettes/wire/*.sse`): the
/// web-platform-tests `format-*` bodies, EventSource's known deviations and the edge cases of
/// BOMs, line ends and field parsing. What a client must dispatch from it is what the
/// WHATWG parser in SSEWire dispatches.
public struct WireCase: Hashable, Sendable {
    /// The file name without `.sse`, such as `wpt-format-bom`.
    public let name: String
    public let bytes: [UInt8]
    /// The file it came from.
    public let file: String

    public init(name: String, bytes: [UInt8], file: String) {
        self.name = name
        self.bytes = bytes
        self.file = file
    }

    /// Every `*.sse` file in `directory`, sorted by name.
    public static func load(from directory: String) throws(SuiteError) -> [WireCase] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sse") }.sorted()
        } catch {
            throw .unreadable(directory, reason: error.localizedDescription)
        }
        var cases: [WireCase] = []
        for fileName in names {
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path, reason: "the file could not be read")
            }
            cases.append(WireCase(name: String(fileName.dropLast(4)), bytes: [UInt8](data), file: path))
        }
        return cases
    }
}

/// Why a suite could not be put together.
public enum SuiteError: Error, CustomStringConvertible, Sendable {
    case unreadable(String, reason: String)
    case badCassette(String, reason: String)
    case badSelection(String)
    /// A selection that selects nothing: an error, so a mistyped CI filter never passes.
    case emptySelection(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .badCassette(let path, let reason): "cannot load the cassette \(path): \(reason)"
        case .badSelection(let reason), .emptySelection(let reason): reason
        }
    }
}
