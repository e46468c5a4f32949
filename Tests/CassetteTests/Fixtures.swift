import Foundation
import SSEWire
import TestKit
@testable import Cassette

/// Cassettes, bodies and folders the tests share.
enum Fixture {
    /// A fresh folder under the system's temporary folder; removed by `remove(_:)`.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("CassetteTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// `count` characters of base64 text: seeded random bytes, encoded, repeated to length.
    static func base64(count: Int, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed)
        let unit = Array(Data(random.bytes(3 << 10)).base64EncodedString().utf8)
        var text: [UInt8] = []
        text.reserveCapacity(count)
        while text.count < count {
            text.append(contentsOf: unit.prefix(count - text.count))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// An image stream as the documented framing writes it: a partial image per payload, then
    /// `image_generation.completed`.
    static func imageStream(partials: [String], final: String = "iVBORw0KGgoAAAANSUhEUgAAAAE=") -> [UInt8] {
        var text = ""
        for (index, payload) in partials.enumerated() {
            text += "event: image_generation.partial_image\n"
            text += "data: {\"type\":\"image_generation.partial_image\",\"b64_json\":\"\(payload)\",\"partial_image_index\":\(index)}\n\n"
        }
        text += "event: image_generation.completed\n"
        text += "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"\(final)\",\"usage\":{\"total_tokens\":100}}\n\n"
        return Array(text.utf8)
    }

    /// The bytes cut into seeded random chunks of 1...`maxChunk` bytes, each arriving 1 to
    /// 5,000 µs after the one before.
    static func recording(_ bytes: [UInt8], seed: UInt64 = 7, maxChunk: Int = 4096) throws -> (SSERecording, [Duration]) {
        var random = SeededRandom(seed: seed)
        var ends: [Int] = []
        var times: [Duration] = []
        var end = 0
        var microseconds: Int64 = 850
        while end < bytes.count {
            end = min(bytes.count, end + Int.random(in: 1...maxChunk, using: &random))
            ends.append(end)
            times.append(.microseconds(microseconds))
            microseconds += Int64.random(in: 1...5000, using: &random)
        }
        return (try SSERecording(bytes: bytes, chunkEnds: ends), times)
    }

    /// The bytes cut into `count` chunks of near-equal length (fewer when there are fewer
    /// bytes), 100 µs apart.
    static func recording(_ bytes: [UInt8], chunks count: Int) throws -> (SSERecording, [Duration]) {
        var ends: [Int] = []
        for index in 1...count where index * bytes.count / count > (ends.last ?? 0) {
            ends.append(index * bytes.count / count)
        }
        return (try SSERecording(bytes: bytes, chunkEnds: ends), ends.indices.map { .microseconds(Int64(100 * ($0 + 1))) })
    }

    static let recorded = Provenance.recorded(host: "api.openai.com", at: "2025-05-01T12:00:00Z", tool: "tapedeck 0.1.0")

    static let generateRequest = RecordedRequest(
        method: "POST",
        path: "/v1/images/generations",
        headers: [Header("authorization", "Bearer [redacted]"), Header("content-type", "application/json")],
        body: .json(#"{"model":"gpt-image-1","partial_images":2,"prompt":"a red fox in the snow","stream":true}"#)
    )

    static let streamHeaders = [Header("content-type", "text/event-stream"), Header("x-request-id", "req_123")]

    static func cassette(
        name: String = "fixture",
        surface: String = "images.generate",
        provenance: Provenance = recorded,
        request: RecordedRequest = generateRequest,
        status: Int = 200,
        headers: [Header] = streamHeaders,
        body: [UInt8],
        maxChunk: Int = 4096,
        ending: RecordingEnding = .complete
    ) throws -> Cassette {
        let (recording, times) = try recording(body, maxChunk: maxChunk)
        return Cassette(
            name: name,
            surface: surface,
            dialect: "openai",
            provenance: provenance,
            request: request,
            response: RecordedResponse(status: status, headers: headers, recording: recording, chunkTimes: times, ending: ending)
        )
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}
