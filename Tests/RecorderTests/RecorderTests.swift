import Cassette
import Foundation
import MockServer
import Recorder
import SSEWire
import ServerTestKit
import Testing

/// Recording from a real upstream on loopback: Tapedeck's own server, plain and with faults.
@Suite("tapedeck record against a real server on loopback", .serialized)
struct RecorderTests {
    static let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1024x1024"}"#
    static let secret = "sk-tapedeckKnownSecret12345"

    static func record(_ url: String, body: String = RecorderTests.body, configure: (inout Recorder.Request) -> Void = { _ in }) async throws -> Cassette {
        var request = Recorder.Request(url: url, body: body, name: "recorded", surface: "images.generate")
        request.headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(secret)")]
        configure(&request)
        let prepared = request
        return try await ServerHarness.blocking {
            try Recorder(redactor: try Redactor(), tool: "tests").record(prepared)
        }
    }

    @Test("Every chunk is recorded as it arrives, and replaying the cassette gives the same bytes")
    func roundTrip() async throws {
        try await ServerHarness.withServer { server in
            let cassette = try await Self.record("\(server.baseURL)/s/chunking=fixed:8192,pace=3ms/v1/images/generations")
            #expect(cassette.response.status == 200)
            #expect(cassette.response.ending == .complete)
            #expect(cassette.response.recording.chunkEnds.count > 5)
            #expect(cassette.response.chunkTimes == cassette.response.chunkTimes.sorted())
            #expect(SSEParser.parse(cassette.response.recording.bytes).events.map(\.type).last == "image_generation.completed")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recorded-\(UUID().uuidString)").path
            try cassette.save(to: folder + "/recorded.cassette.json")
            let loaded = try Cassette.load(from: folder + "/recorded.cassette.json")
            try await ServerHarness.withServer({ $0.cassettes = [loaded]; $0.synthesize = false }) { replay in
                let replayed = try await Self.record("\(replay.baseURL)/c/recorded/s/chunking=recorded,time-scale=0,pace=3ms/v1/images/generations")
                #expect(replayed.response.recording.bytes == cassette.response.recording.bytes)
                #expect(replayed.response.recording.chunkEnds == cassette.response.recording.chunkEnds)
            }
        }
    }

    @Test("A known secret in a header, the query and the body appears nowhere on disk")
    func secretsNeverReachDisk() async throws {
        try await ServerHarness.withServer { server in
            let body = #"{"model":"gpt-image-1","prompt":"otter \#(Self.secret)","stream":true}"#
            let cassette = try await Self.record("\(server.baseURL)/v1/images/generations?api_key=\(Self.secret)", body: body)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
            try cassette.save(to: folder + "/recorded.cassette.json")
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder)
            #expect(!files.isEmpty)
            for file in files {
                guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains(Self.secret), "\(file) holds the secret")
                #expect(!String(decoding: data, as: UTF8.self).contains("tapedeckKnownSecret"), "\(file) holds part of the secret")
            }
            #expect(cassette.request.headers.first(named: "Authorization") == "Bearer [redacted]")
        }
    }

    @Test("Faults are recorded faithfully: an HTTP error, a disconnect mid-stream, an event limit")
    func faults() async throws {
        try await ServerHarness.withServer { server in
            let error = try await Self.record("\(server.baseURL)/s/fault=status:429:retry-after=3/v1/images/generations")
            #expect(error.response.status == 429)
            #expect(error.response.headers.first(named: "Retry-After") == "3")
            #expect(String(decoding: error.response.recording.bytes, as: UTF8.self).contains("rate_limit_exceeded"))

            let cut = try await Self.record("\(server.baseURL)/s/fault=close-after-bytes:5000/v1/images/generations")
            #expect(cut.response.ending == .truncated)
            #expect(cut.response.recording.bytes.count == 5000)

            let limited = try await Self.record("\(server.baseURL)/s/chunking=fixed:2048/v1/images/generations") { $0.maxEvents = 1 }
            #expect(limited.response.ending == .maxEvents)
            #expect(SSEParser.parse(limited.response.recording.bytes).events.count >= 1)
        }
    }

    @Test("A multipart edit sends its file from disk; the cassette keeps the fields and the file's size and digest")
    func multipartEdit() async throws {
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("otter-\(UUID().uuidString).png").path
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 200)
        FileManager.default.createFile(atPath: image, contents: Data(png))
        try await ServerHarness.withServer { server in
            var request = Recorder.Request(url: "\(server.baseURL)/v1/images/edits", body: "", name: "edit", surface: "images.edit")
            request.form = FormBody(fields: [("model", "gpt-image-1"), ("prompt", "add a hat \(Self.secret)"), ("stream", "true"), ("partial_images", "1")],
                                    files: [("image[]", image, "image/png")])
            let prepared = request
            let cassette = try await ServerHarness.blocking { try Recorder(redactor: try Redactor(), tool: "tests").record(prepared) }
            #expect(cassette.response.status == 200)
            #expect(SSEParser.parse(cassette.response.recording.bytes).events.map(\.type) == ["image_edit.partial_image", "image_edit.completed"])
            guard case .form(let fields, let files) = cassette.request.body else {
                Issue.record("the request body should be a form")
                return
            }
            #expect(fields.map(\.name) == ["model", "prompt", "stream", "partial_images"])
            #expect(fields[1].value == "add a hat [redacted]")
            #expect(files.map(\.filename) == [URL(fileURLWithPath: image).lastPathComponent])
            #expect(files.first?.size == png.count)
            #expect(files.first?.sha256.count == 64)
        }
    }

    @Test("No server: a clear failure and no cassette")
    func unreachable() async throws {
        await #expect(throws: RecordingFailure.self) {
            _ = try await Self.record("http://127.0.0.1:1/v1/images/generations")
        }
    }
}
