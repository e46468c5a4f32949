import Cassette
import Foundation
import ImageFormats
import ImageStreamSpec
import SSEWire
import Synthesis
import Testing

@Suite("Slimming keeps what a cassette tests")
struct CassetteSlimmerTests {
    static func cassette(_ request: String, surface: String = "images.generate", dialect: String = "openai", chunkEvery: Int = 5000) throws -> Cassette {
        let spec = try SpecCatalog.load(from: SynthesisConformanceTests.specsDirectory).resolve(surface: surface, dialect: dialect)
        let view = try #require(RequestView(try JSONValue.parse(request), spec: spec))
        let response = try Synthesizer().respond(to: SynthesisParameters(spec: spec, request: view))
        let ends = Array(stride(from: chunkEvery, to: response.body.count, by: chunkEvery)) + [response.body.count]
        return Cassette(
            name: "slim-test", surface: surface, dialect: dialect,
            provenance: .synthesized(tool: "tests", parameters: "{}"),
            request: RecordedRequest(method: "POST", path: "/v1/images/generations", body: .json(request)),
            response: RecordedResponse(status: 200, headers: [Header("Content-Type", response.contentType)],
                                       recording: try SSERecording(bytes: response.body, chunkEnds: ends),
                                       chunkTimes: ends.indices.map { .milliseconds($0) }, ending: .complete)
        )
    }

    @Test("Images become flat images of the same format, size and alpha; the cassette still conforms", arguments: [
        (#"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2,"size":"1536x1024","output_format":"png"}"#, "images.generate", "openai"),
        (#"{"model":"gpt-image-1","prompt":"sticker","stream":true,"partial_images":1,"background":"transparent","output_format":"webp"}"#, "images.generate", "openai"),
        (#"{"model":"gpt-5","input":"x","stream":true,"tools":[{"type":"image_generation","partial_images":1,"output_format":"jpeg"}]}"#, "responses", "openai"),
        (#"{"model":"gpt-image-2-all","prompt":"lighthouse"}"#, "images.generate", "apiyi"),
    ])
    func slims(request: String, surface: String, dialect: String) throws {
        let original = try Self.cassette(request, surface: surface, dialect: dialect)
        let outcome = try CassetteSlimmer.slim(original)
        #expect(outcome.replaced > 0)
        #expect(outcome.bytesAfter < outcome.bytesBefore)
        let slimmed = outcome.cassette
        #expect(slimmed.response.chunkTimes.count == slimmed.response.recording.chunkEnds.count)
        #expect(slimmed.response.recording.chunkEnds.last == slimmed.response.recording.bytes.count)
        let spec = try SpecCatalog.load(from: SynthesisConformanceTests.specsDirectory).resolve(surface: surface, dialect: dialect)
        let body = slimmed.response.recording.bytes
        let report = Validator(spec: spec).validate(ValidationInput(request: try JSONValue.parse(request), response: slimmed.isEventStream ? .stream(body) : .body(body)))
        #expect(report.findings.filter { $0.level != .info }.map { "\($0.ruleID): \($0.message)" } == [])
        let events = SSEParser.parse(body).events
        if slimmed.isEventStream {
            #expect(events.map(\.type) == SSEParser.parse(original.response.recording.bytes).events.map(\.type))
        }
    }

    @Test("A truncated image stays truncated")
    func keepsDefects() throws {
        var original = try Self.cassette(#"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":0}"#)
        var bytes = original.response.recording.bytes
        // Cut the base64 payload to its first half, keeping the JSON valid.
        let text = String(decoding: bytes, as: UTF8.self)
        let start = try #require(text.range(of: "\"b64_json\":\"")).upperBound
        let end = try #require(text[start...].firstIndex(of: "\""))
        let payload = text[start..<end]
        let cut = text.replacingCharacters(in: start..<end, with: String(payload.prefix(payload.count / 8 * 4)))
        bytes = Array(cut.utf8)
        original.response.recording = try SSERecording(bytes: bytes, chunkEnds: [bytes.count])
        original.response.chunkTimes = [.zero]
        let slimmed = try CassetteSlimmer.slim(original).cassette
        let spec = try SpecCatalog.load(from: SynthesisConformanceTests.specsDirectory).resolve(surface: "images.generate")
        let report = Validator(spec: spec).validate(ValidationInput(response: .stream(slimmed.response.recording.bytes)))
        #expect(report.findings.contains { $0.ruleID == "IMAGE-002" })
    }
}
