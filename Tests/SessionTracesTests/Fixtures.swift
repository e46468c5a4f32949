import Cassette
import Foundation

/// The repository's bundled cassettes and streams.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func cassette(_ name: String) throws -> Cassette {
        try Cassette.load(from: root.appendingPathComponent("Cassettes/\(name).cassette.json").path)
    }

    static func stream(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent("Cassettes/streams/\(name)")))
    }
}
