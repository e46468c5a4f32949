import Cassette
@testable import Conformance
import Foundation
import ImageStreamSpec

/// The checkout's bundled suite sources, found from this file.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let cassetteFolder = root.appendingPathComponent("Cassettes").path
    static let specsFolder = root.appendingPathComponent("Specs").path
    static let naiveClient = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/naive_client.py").path

    static func cassette(_ name: String) throws -> (cassette: Cassette, file: String) {
        let path = "\(cassetteFolder)/\(name).cassette.json"
        return (try Cassette.load(from: path), path)
    }

    static func allCassettes() throws -> [(cassette: Cassette, file: String)] {
        try FileManager.default.contentsOfDirectory(atPath: cassetteFolder).filter { $0.hasSuffix(".cassette.json") }.sorted()
            .map { try cassette(String($0.dropLast(".cassette.json".count))) }
    }

    static func wireCases() throws -> [WireCase] {
        try WireCase.load(from: cassetteFolder + "/wire")
    }

    static func catalog() throws -> SpecCatalog {
        try SpecCatalog.load(from: specsFolder)
    }

    /// One scenario of one cassette, as the suite would build it.
    static func suiteCase(_ name: String, _ scenario: String) throws -> SuiteCase {
        var selection = SuiteSelection()
        selection.chunkings = ["whole"]
        selection.variations = [scenario]
        selection.includeWire = false
        let cases = try SuiteBuilder.build(cassettes: [try cassette(name)], wireCases: [], selection: selection)
        guard let only = cases.first else { throw FixtureError.noCase("\(name)@\(scenario)") }
        return only
    }

    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "tapedeck-conformance-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    enum FixtureError: Error { case noCase(String) }
}
