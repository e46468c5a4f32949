import Foundation
import Testing
@testable import Cassette

/// Ways a cassette on disk can be broken, and the error each must give.
enum Damage: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case missingBlob = "its blob is missing"
    case alteredBlob = "its blob was altered (hash mismatch)"
    case truncatedBlob = "its blob was truncated"
    case wrongVersion = "it has another format version"
    case notACassette = "it is JSON without a format"
    case chunksDoNotAddUp = "its chunks do not add up to the body"
    case invalidJSON = "it is not valid JSON"
    case missingFile = "the file does not exist"
    case unknownEnding = "its ending is not one of the known ones"
    case timeGoesBackwards = "a chunk arrives before the one ahead of it"
    case missingField = "a required field is missing"
    case blobPastTheEnd = "a blob lies past the end of the body"
    case hugeChunk = "a chunk's length is near Int.max"
    case terabyteBlob = "a blob's length is 2^40 (a terabyte)"
    case maximalBlob = "a blob's length is 2^63-1"

    var testDescription: String { rawValue }

    struct Saved {
        var path: String
        var blobPath: String
        var sha256: String
        var payloadLength: Int
    }

    /// Saves a cassette with one blob in `folder`, then damages it.
    func apply(in folder: String) throws -> Saved {
        let payload = Fixture.base64(count: 70_000, seed: 11)
        let cassette = try Fixture.cassette(name: "damaged", body: Fixture.imageStream(partials: [payload]), maxChunk: 40_000)
        let path = "\(folder)/damaged.cassette.json"
        try cassette.save(to: path)
        let sha256 = Digest.sha256Hex(ArraySlice(payload.utf8))
        let saved = Saved(path: path, blobPath: "\(folder)/blobs/\(sha256).b64", sha256: sha256, payloadLength: payload.utf8.count)
        let text = try Fixture.text(path)
        func edit(_ old: String, _ new: String) throws {
            #expect(text.contains(old), "the fixture should contain \(old)")
            try Fixture.write(text.replacingOccurrences(of: old, with: new), to: path)
        }
        switch self {
        case .missingBlob:
            try FileManager.default.removeItem(atPath: saved.blobPath)
        case .alteredBlob:
            var bytes = try Data(contentsOf: URL(fileURLWithPath: saved.blobPath))
            bytes[1000] = bytes[1000] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try bytes.write(to: URL(fileURLWithPath: saved.blobPath))
        case .truncatedBlob:
            let bytes = try Data(contentsOf: URL(fileURLWithPath: saved.blobPath))
            try bytes.prefix(1000).write(to: URL(fileURLWithPath: saved.blobPath))
        case .wrongVersion:
            try edit("\"tapedeck-cassette/1\"", "\"tapedeck-cassette/9\"")
        case .notACassette:
            try Fixture.write("{\"hello\": \"world\"}\n", to: path)
        case .chunksDoNotAddUp:
            let first = cassette.response.recording.chunkEnds[0]
            try edit("\"chunks\": [\n      [\(first),", "\"chunks\": [\n      [\(first + 1),")
        case .invalidJSON:
            try Fixture.write(String(text.prefix(200)), to: path)
        case .missingFile:
            try FileManager.default.removeItem(atPath: path)
        case .unknownEnding:
            try edit("\"ending\": \"complete\"", "\"ending\": \"finished\"")
        case .timeGoesBackwards:
            let first = cassette.response.recording.chunkEnds[0]
            try edit("[\(first), 850]", "[\(first), 999999999]")
        case .missingField:
            try edit("\"method\": \"POST\",", "")
        case .blobPastTheEnd:
            try edit("{\"at\": ", "{\"at\": 9999999")
        case .hugeChunk:
            let first = cassette.response.recording.chunkEnds[0]
            try edit("\"chunks\": [\n      [\(first),", "\"chunks\": [\n      [\(Int.max - 10),")
        case .terabyteBlob:
            try edit("\"length\": \(payload.utf8.count)", "\"length\": \(1 << 40)")
        case .maximalBlob:
            try edit("\"length\": \(payload.utf8.count)", "\"length\": \(Int.max)")
        }
        return saved
    }

    /// Whether `error` is the one this damage should cause.
    func matches(_ error: CassetteError, _ saved: Saved) -> Bool {
        switch self {
        case .missingBlob:
            error == .missingBlob(path: saved.path, blob: saved.blobPath, sha256: saved.sha256)
        case .alteredBlob:
            if case .blobHashMismatch(saved.path, saved.blobPath, saved.sha256, let actual) = error { actual != saved.sha256 } else { false }
        case .truncatedBlob:
            error == .blobLengthMismatch(path: saved.path, blob: saved.blobPath, expected: saved.payloadLength, actual: 1000)
        case .wrongVersion:
            error == .unsupportedFormat(path: saved.path, found: "tapedeck-cassette/9")
        case .notACassette:
            error == .unsupportedFormat(path: saved.path, found: nil)
        case .chunksDoNotAddUp:
            if case .chunksDoNotAddUp(saved.path, let total, let length) = error { total == length + 1 } else { false }
        case .invalidJSON:
            if case .invalidJSON(saved.path, let reason) = error { reason.hasPrefix("line ") } else { false }
        case .missingFile:
            if case .unreadable(saved.path, let reason) = error { reason.contains("No such file") } else { false }
        case .unknownEnding:
            if case .invalidField(saved.path, "response.ending", let reason) = error { reason.contains("`idle-timeout`") } else { false }
        case .timeGoesBackwards:
            if case .invalidField(saved.path, "response.chunks[1][1]", _) = error { true } else { false }
        case .missingField:
            error == .invalidField(path: saved.path, field: "request.method", reason: "is missing")
        case .blobPastTheEnd:
            if case .invalidField(saved.path, "response.blobs[0].at", _) = error { true } else { false }
        case .hugeChunk:
            if case .invalidField(saved.path, "response.chunks[1][0]", _) = error { true } else { false }
        case .terabyteBlob:
            error == .blobLengthMismatch(path: saved.path, blob: saved.blobPath, expected: 1 << 40, actual: saved.payloadLength)
        case .maximalBlob:
            if case .invalidField(saved.path, "response.blobs[0].length", _) = error { true } else { false }
        }
    }

    /// Words the message must carry: the file, and what to do.
    func expectedWords(_ saved: Saved) -> [String] {
        switch self {
        case .missingBlob: [saved.path, saved.blobPath, saved.sha256, "missing", "restore"]
        case .alteredBlob: [saved.path, saved.blobPath, saved.sha256, "altered", "restore"]
        case .truncatedBlob: [saved.path, saved.blobPath, "1000 bytes instead of 70000", "restore"]
        case .wrongVersion: [saved.path, "tapedeck-cassette/9", "tapedeck-cassette/1"]
        case .notACassette: [saved.path, "not a Tapedeck cassette"]
        case .chunksDoNotAddUp: [saved.path, "response.chunks", "add up to"]
        case .invalidJSON: [saved.path, "not valid JSON", "line "]
        case .missingFile: [saved.path]
        case .unknownEnding: [saved.path, "response.ending", "finished"]
        case .timeGoesBackwards: [saved.path, "backwards"]
        case .missingField: [saved.path, "request.method", "is missing", "README"]
        case .blobPastTheEnd: [saved.path, "past the end"]
        case .hugeChunk: [saved.path, "response.chunks[1][0]", "longer than any body"]
        case .terabyteBlob: [saved.path, saved.blobPath, "instead of \(1 << 40)"]
        case .maximalBlob: [saved.path, "response.blobs[0].length", "\(Int.max)"]
        }
    }
}

@Suite("Loading a damaged cassette")
struct LoadFailureTests {
    @Test("loading fails clearly when", arguments: Damage.allCases)
    func damaged(_ damage: Damage) throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let saved = try damage.apply(in: folder)
        let error = try #require(#expect(throws: CassetteError.self) { try Cassette.load(from: saved.path) })
        #expect(damage.matches(error, saved), "got \(error)")
        for word in damage.expectedWords(saved) {
            #expect(error.description.contains(word), "\(error.description) should mention \(word)")
        }
    }
}

@Suite("Saving what cannot be saved")
struct SaveFailureTests {
    @Test("a path that does not end in .cassette.json is refused")
    func badPath() throws {
        let cassette = try Fixture.cassette(name: "x", body: [])
        let error = #expect(throws: CassetteError.self) { try cassette.save(to: "/tmp/x.json") }
        #expect(error == .invalidPath(path: "/tmp/x.json", reason: "a cassette's file name ends in `.cassette.json`, e.g. `x.cassette.json`"))
    }

    @Test("a chunk without an arrival time is refused")
    func missingTimes() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        var cassette = try Fixture.cassette(name: "x", body: [])
        (cassette.response.recording, cassette.response.chunkTimes) = try Fixture.recording(Array("data: x\n\n".utf8), chunks: 3)
        cassette.response.chunkTimes.removeLast()
        let error = #expect(throws: CassetteError.self) { try cassette.save(to: "\(folder)/x.cassette.json") }
        #expect(error?.description.contains("3 chunks but 2 chunk times") == true)
        #expect(Fixture.entries(folder).isEmpty)
    }

    @Test("synthesis parameters that are not a JSON object are refused, before any blob is written")
    func badParameters() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let body = Fixture.imageStream(partials: [Fixture.base64(count: 70_000, seed: 12)])
        let cassette = try Fixture.cassette(name: "x", provenance: .synthesized(tool: "t", parameters: "[1]"), body: body)
        let error = #expect(throws: CassetteError.self) { try cassette.save(to: "\(folder)/x.cassette.json") }
        #expect(error?.description.contains("an array; pass a JSON object's text") == true)
        #expect(Fixture.entries(folder).isEmpty)
    }
}
