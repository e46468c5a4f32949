import Testing
@testable import Cassette

@Suite("CassetteText.show")
struct CassetteTextTests {
    static func bigCassette() throws -> (Cassette, payload: String) {
        let payload = Fixture.base64(count: 1_200_000, seed: 41)
        let body = Fixture.imageStream(partials: [payload])
        var cassette = try Fixture.cassette(name: "big", body: body)
        let (recording, times) = try Fixture.recording(body, chunks: 5000)
        cassette.response.recording = recording
        cassette.response.chunkTimes = times
        cassette.request.body = .json(#"{"model":"gpt-image-1","prompt":"\#(String(repeating: "a fox ", count: 100))","stream":true}"#)
        return (cassette, payload)
    }

    @Test("shows the header, request, response, a collapsed timeline and the events")
    func sections() throws {
        let (cassette, _) = try Self.bigCassette()
        let count = cassette.response.recording.chunkEnds.count
        try #require(count == 5000)
        let text = CassetteText.show(cassette, width: 120)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        #expect(lines[0] == "big · images.generate · openai · recorded from api.openai.com at 2025-05-01T12:00:00Z by tapedeck 0.1.0")
        #expect(lines.contains("request  POST /v1/images/generations"))
        #expect(lines.contains("  authorization: Bearer [redacted]"))
        #expect(lines.contains("    model: \"gpt-image-1\""))
        #expect(lines.contains("    stream: true"))
        #expect(lines.contains { $0.hasPrefix("    prompt: \"a fox a fox") && $0.hasSuffix("…(602 chars)") })
        #expect(lines.contains("response  200 · complete · \(CassetteText.grouped(cassette.response.recording.bytes.count)) bytes in 5,000 chunks over 500.000 ms"))
        #expect(lines.contains("  content-type: text/event-stream"))
        #expect(lines.contains("timeline  5,000 chunks"))
        #expect(lines.contains("  … 4,980 chunks …"))
        #expect(lines.contains("            ms       length         offset"))
        #expect(lines.contains("         0.100          240              0"))
        #expect(lines.contains("       500.000          241      1,200,034"))
        let timeline = try #require(lines.firstIndex(of: "timeline  5,000 chunks"))
        let rows = lines[(timeline + 2)...].prefix { !$0.isEmpty }.filter { !$0.hasPrefix("  …") }
        #expect(rows.count == 20)
        #expect(lines.contains("events  2"))
        #expect(lines.contains { $0.hasPrefix("  #0  image_generation.partial_image  bytes 0..<1,200,") && $0.hasSuffix("data 1.2 MB") })
        #expect(lines.contains { $0.hasPrefix("  #1  image_generation.completed  bytes 1,200,") })
        let narrow = CassetteText.show(cassette).split(separator: "\n")
        #expect(narrow.prefix(2) == ["big · images.generate · openai", "  recorded from api.openai.com at 2025-05-01T12:00:00Z by tapedeck 0.1.0"])
        #expect(narrow.allSatisfy { $0.count <= 100 })
        #expect(CassetteText.show(cassette, width: 60).split(separator: "\n").allSatisfy { $0.count <= 60 })
    }

    @Test("elides base64 payloads to their first eight characters and their size")
    func payloadElision() throws {
        let (cassette, payload) = try Self.bigCassette()
        let text = CassetteText.show(cassette, width: 140)
        #expect(text.contains(#"      {"type":"image_generation.partial_image","b64_json":"\#(payload.prefix(8))…(1.2 MB)","partial_image_index":0}"#))
        #expect(!text.contains(String(payload.prefix(100))))
        #expect(text.utf8.count < 10_000)
    }

    @Test("shows a form's fields and file parts, and a synthesized cassette's parameters")
    func formAndSynthesized() throws {
        let cassette = try RoundTripCase.formRequest.cassette()
        let text = CassetteText.show(cassette)
        #expect(text.contains("  body (multipart form, 3 fields, 2 files):\n"))
        #expect(text.contains("    prompt: add a hat\\nand a scarf\n"))
        #expect(text.contains("    image[] (file): fox.png, image/png, 123.5 kB, sha256 abababababab…\n"))

        let synthesized = try RoundTripCase.synthesized.cassette()
        #expect(CassetteText.show(synthesized, width: 140).hasPrefix(#"synth · images.generate · openai · synthesized by tapedeck 0.1.0 from {"partial_images":2,"seed":42,"size":"1024x1024"}"#))
    }

    @Test("shows a short timeline whole, and a stream cut mid-event")
    func truncated() throws {
        var cassette = try RoundTripCase.truncated.cassette()
        (cassette.response.recording, cassette.response.chunkTimes) = try Fixture.recording(cassette.response.recording.bytes, chunks: 5)
        let text = CassetteText.show(cassette, width: 120)
        #expect(text.contains("response  200 · truncated · "))
        #expect(text.contains("timeline  5 chunks\n"))
        #expect(!text.contains(" chunks …"))
        #expect(text.contains("the stream ended mid-event: bytes "))
    }

    @Test("shows a JSON body that is not a stream, with its payloads elided")
    func jsonBody() throws {
        let payload = Fixture.base64(count: 5000, seed: 42)
        let cassette = try Fixture.cassette(
            name: "plain",
            headers: [Header("content-type", "application/json")],
            body: Array(#"{"data":[{"b64_json":"\#(payload)"}]}"#.utf8)
        )
        let text = CassetteText.show(cassette)
        #expect(text.contains("body  5.0 kB, not an event stream\n"))
        #expect(text.contains(#"  {"data":[{"b64_json":"\#(payload.prefix(8))…(5.0 kB)"}]}"#))
    }

    struct SizeCase: CustomTestStringConvertible, Sendable {
        var bytes: Int
        var text: String
        var testDescription: String { "\(bytes) bytes is \(text)" }
    }

    @Test("sizes are decimal with one place:", arguments: [
        SizeCase(bytes: 0, text: "0 B"), SizeCase(bytes: 999, text: "999 B"), SizeCase(bytes: 1000, text: "1.0 kB"),
        SizeCase(bytes: 1_234_567, text: "1.2 MB"), SizeCase(bytes: 999_949, text: "999.9 kB"), SizeCase(bytes: 999_950, text: "1.0 MB"),
    ])
    func sizes(_ testCase: SizeCase) {
        #expect(CassetteText.byteSize(testCase.bytes) == testCase.text)
    }
}
