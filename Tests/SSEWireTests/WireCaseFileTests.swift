import Foundation
import Testing

/// The conformance suite's WHATWG cases (Cassettes/wire) are this table's rows, byte for byte,
/// so a client is held to exactly what the parser is.
struct WireCaseFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cassettes/wire").path

    static func fileName(family: String, row: String) -> String {
        var name = ""
        for character in row.lowercased() { name.append(character.isLetter || character.isNumber ? character : "-") }
        while name.contains("--") { name = name.replacingOccurrences(of: "--", with: "-") }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if name.hasPrefix("eventsource-1-1-1-") { name = String(name.dropFirst("eventsource-1-1-1-".count)) }
        var full = String("\(family)-\(name)".prefix(80))
        while full.hasSuffix("-") { full.removeLast() }
        return full + ".sse"
    }

    @Test("Every row of the WHATWG table ships as a wire case with the row's exact bytes, and nothing else does")
    func filesAreTheRows() throws {
        let families = [("wpt", WHATWGFormatTests.wptFormatRows), ("eventsource", WHATWGFormatTests.eventSourceDeviationRows), ("edge", WHATWGFormatTests.wireEdgeRows)]
        var expected: [String: [UInt8]] = [:]
        for (family, rows) in families {
            for row in rows { expected[Self.fileName(family: family, row: row.name)] = row.input }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".sse") }
        #expect(Set(files) == Set(expected.keys))
        for (name, bytes) in expected {
            let data = FileManager.default.contents(atPath: Self.folder + "/" + name)
            #expect(data.map { [UInt8]($0) } == bytes, "\(name)")
        }
    }
}
