import Foundation
import SSEWire
import Testing
@testable import Cassette

/// Kinds of cassette that must come back from `save` then `load` exactly as they were.
enum RoundTripCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case smallStream = "a small event stream stays inline as text"
    case largePayload = "a 3 MiB base64 payload moves to a blob and the file stays small"
    case binaryBody = "a body that is not UTF-8 is kept as base64"
    case formRequest = "a form request keeps its fields and file parts"
    case synthesized = "a synthesized cassette keeps its parameters"
    case imported = "an imported cassette keeps where it came from"
    case emptyBody = "an empty body has no chunks"
    case jsonAsSent = "a JSON request body keeps its exact text as sent"
    case truncated = "a truncated stream keeps its ending and its last partial event"
    case controlCharacters = "CRLF, NUL, tabs and non-ASCII text stay inline as text"

    var testDescription: String { rawValue }

    func cassette() throws -> Cassette {
        switch self {
        case .smallStream:
            return try Fixture.cassette(name: "small", body: Fixture.imageStream(partials: ["aGVsbG8="]), maxChunk: 16)
        case .largePayload:
            return try Fixture.cassette(name: "large", body: Fixture.imageStream(partials: [Fixture.base64(count: 3 << 20, seed: 1)]))
        case .binaryBody:
            var bytes = Array("data: ".utf8) + [0xFF, 0xFE, 0x00, 0xC3] + Array("\n\n".utf8)
            bytes += Array(Fixture.base64(count: 70_000, seed: 2).utf8) + [0x80]
            return try Fixture.cassette(name: "binary", headers: [Header("content-type", "application/octet-stream")], body: bytes, maxChunk: 999)
        case .formRequest:
            let request = RecordedRequest(
                method: "POST",
                path: "/v1/images/edits",
                headers: [Header("content-type", "multipart/form-data; boundary=xyz")],
                body: .form(
                    fields: [(name: "model", value: "gpt-image-1"), (name: "prompt", value: "add a hat\nand a scarf"), (name: "stream", value: "true")],
                    files: [
                        FilePart(name: "image[]", filename: "fox.png", contentType: "image/png", size: 123_456, sha256: String(repeating: "ab", count: 32)),
                        FilePart(name: "mask", filename: "mask.png", contentType: "image/png", size: 999, sha256: String(repeating: "0f", count: 32)),
                    ]
                )
            )
            return try Fixture.cassette(name: "edit", surface: "images.edit", request: request, body: Fixture.imageStream(partials: ["YQ=="]))
        case .synthesized:
            return try Fixture.cassette(
                name: "synth",
                provenance: .synthesized(tool: "tapedeck 0.1.0", parameters: #"{"partial_images":2,"seed":42,"size":"1024x1024"}"#),
                body: Fixture.imageStream(partials: ["YQ==", "Yg=="])
            )
        case .imported:
            return try Fixture.cassette(
                name: "imported",
                provenance: .imported(format: "vcrpy", file: "test_stream.yaml", host: "api.openai.com", at: nil, tool: "tapedeck 0.1.0"),
                body: Fixture.imageStream(partials: ["YQ=="]))
        case .emptyBody:
            return try Fixture.cassette(name: "empty", status: 204, headers: [], body: [], ending: .complete)
        case .jsonAsSent:
            let request = RecordedRequest(
                method: "POST",
                path: "/v1/images/generations",
                headers: [],
                body: .json("{\"prompt\": \"caf\\u00e9 \\\"quoted\\\"\", \"n\": 1.0, \"model\": \"gpt-image-1\"}")
            )
            return try Fixture.cassette(name: "as-sent", request: request, body: Fixture.imageStream(partials: []))
        case .controlCharacters:
            let body = Array("retry: 10\r\n: keep-alive \u{0}\t\u{1B}[0m\r\ndata: {\"type\":\"caf\u{E9} \u{1F98A}\"}\r\n\r\n".utf8)
            return try Fixture.cassette(name: "control", body: body, maxChunk: 3)
        case .truncated:
            var body = Fixture.imageStream(partials: ["YQ=="])
            body += Array("event: image_generation.partial_image\ndata: {\"type\":\"image_gen".utf8)
            return try Fixture.cassette(name: "cut", body: body, maxChunk: 7, ending: .truncated)
        }
    }

    /// How many blob files the save should write.
    var blobCount: Int {
        switch self {
        case .largePayload, .binaryBody: 1
        default: 0
        }
    }

    /// The key the body is stored under.
    var bodyKey: String { self == .binaryBody ? "base64" : "text" }
}

@Suite("Round trips")
struct RoundTripTests {
    @Test("save then load gives back the same bytes, chunk ends and times:", arguments: RoundTripCase.allCases)
    func roundTrip(_ testCase: RoundTripCase) throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let original = try testCase.cassette()
        let path = "\(folder)/\(original.name).cassette.json"

        try original.save(to: path)
        let loaded = try Cassette.load(from: path)

        #expect(loaded.response.recording.bytes == original.response.recording.bytes)
        #expect(loaded.response.recording.chunkEnds == original.response.recording.chunkEnds)
        #expect(loaded.response.chunkTimes == original.response.chunkTimes)
        #expect(loaded == original)
        #expect(Fixture.entries("\(folder)/blobs").count == testCase.blobCount)
        let file = try JSON.parse(Array(Fixture.text(path).utf8))
        #expect(file["response"]?["body"]?[testCase.bodyKey] != nil)
    }

    @Test("a 3 MiB payload leaves a small cassette file and a blob of exactly its bytes")
    func largePayloadLayout() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 3 << 20, seed: 1)
        // Chunks as a 64 KiB socket read would deliver them: a hundred or so for 3 MiB.
        let cassette = try Fixture.cassette(name: "large", body: Fixture.imageStream(partials: [payload]), maxChunk: 65_536)
        try cassette.save(to: "\(folder)/large.cassette.json")

        let blobs = Fixture.entries("\(folder)/blobs")
        try #require(blobs.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/blobs/\(blobs[0])")) == Data(payload.utf8))
        #expect(blobs[0] == "\(Digest.sha256Hex(ArraySlice(payload.utf8))).b64")
        let size = try #require(FileSystem.size(of: "\(folder)/large.cassette.json"))
        #expect(size < 16 << 10)
        let text = try Fixture.text("\(folder)/large.cassette.json")
        let offset = try #require(Fixture.imageStream(partials: [payload]).firstRange(of: Array(payload.utf8.prefix(64)))?.lowerBound)
        #expect(text.contains(#"{"at": \#(offset), "length": \#(3 << 20), "sha256": "\#(blobs[0].dropLast(4))"}"#))
    }

    @Test("two cassettes sharing a payload share one blob file")
    func sharedBlob() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 100_000, seed: 3)
        let first = try Fixture.cassette(name: "first", body: Fixture.imageStream(partials: [payload]))
        let second = try Fixture.cassette(name: "second", body: Fixture.imageStream(partials: ["YQ==", payload]), maxChunk: 333)

        try first.save(to: "\(folder)/first.cassette.json")
        try second.save(to: "\(folder)/second.cassette.json")

        #expect(Fixture.entries("\(folder)/blobs").count == 1)
        #expect(try Cassette.load(from: "\(folder)/first.cassette.json") == first)
        #expect(try Cassette.load(from: "\(folder)/second.cassette.json") == second)
    }

    @Test("a payload repeated in one body is one blob file referenced twice")
    func repeatedPayload() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 70_000, seed: 4)
        let cassette = try Fixture.cassette(name: "twice", body: Fixture.imageStream(partials: [payload, payload]))
        try cassette.save(to: "\(folder)/twice.cassette.json")

        #expect(Fixture.entries("\(folder)/blobs").count == 1)
        let file = try JSON.parse(Array(Fixture.text("\(folder)/twice.cassette.json").utf8))
        #expect(file["response"]?["blobs"]?.array?.count == 2)
        #expect(try Cassette.load(from: "\(folder)/twice.cassette.json") == cassette)
    }

    @Test("a base64 run one byte short of 64 KiB stays inline")
    func blobThreshold() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let below = try Fixture.cassette(name: "below", body: Fixture.imageStream(partials: [Fixture.base64(count: (64 << 10) - 1, seed: 5)]))
        let at = try Fixture.cassette(name: "at", body: Fixture.imageStream(partials: [Fixture.base64(count: 64 << 10, seed: 5)]))
        try below.save(to: "\(folder)/below.cassette.json")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/blobs"))
        try at.save(to: "\(folder)/at.cassette.json")
        #expect(Fixture.entries("\(folder)/blobs").count == 1)
        #expect(try Cassette.loadAll(in: folder) == [at, below])
    }

    @Test("saving again over an existing cassette replaces it")
    func overwrite() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let path = "\(folder)/same.cassette.json"
        try Fixture.cassette(name: "same", body: Fixture.imageStream(partials: ["YQ=="])).save(to: path)
        let second = try Fixture.cassette(name: "same", body: Fixture.imageStream(partials: ["Yg==", "Yw=="]), ending: .maxEvents)
        try second.save(to: path)
        #expect(try Cassette.load(from: path) == second)
    }
}
