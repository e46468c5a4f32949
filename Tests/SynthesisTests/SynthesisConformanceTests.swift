import Foundation
import ImageStreamSpec
import Synthesis
import Testing

/// Every synthesized response passes validation against its own surface and dialect, with
/// real images of the asked format and size.
@Suite("Synthesized responses conform")
struct SynthesisConformanceTests {
    static let specsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs").path

    struct Case: CustomTestStringConvertible, Sendable {
        let surface: String
        let dialect: String
        let request: String
        var testDescription: String { "\(surface) [\(dialect)] \(request)" }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for partials in 0...3 {
            for format in ["png", "jpeg", "webp"] {
                cases.append(Case(surface: "images.generate", dialect: "openai", request: #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":\#(partials),"size":"1024x1024","output_format":"\#(format)","quality":"low"}"#))
                cases.append(Case(surface: "responses", dialect: "openai", request: #"{"model":"gpt-5","input":"otter","stream":true,"tools":[{"type":"image_generation","partial_images":\#(partials),"output_format":"\#(format)","size":"1024x1536"}]}"#))
            }
            cases.append(Case(surface: "images.edit", dialect: "openai", request: #"{"model":"gpt-image-1","prompt":"hat","stream":"true","partial_images":"\#(partials)","size":"1536x1024","n":"1"}"#))
        }
        cases += [
            Case(surface: "images.generate", dialect: "openai", request: #"{"model":"gpt-image-1","prompt":"sticker","stream":true,"background":"transparent","output_format":"webp"}"#),
            Case(surface: "images.generate", dialect: "openai", request: #"{"model":"gpt-image-1","prompt":"otter","n":3,"size":"1536x1024"}"#),
            Case(surface: "images.generate", dialect: "gateway", request: #"{"model":"dall-e-3","prompt":"A watercolor painting of a mountain lake at sunrise","size":"1024x1024","quality":"hd","n":1}"#),
            Case(surface: "images.generate", dialect: "gateway", request: #"{"model":"dall-e-3","prompt":"lake","response_format":"url"}"#),
            Case(surface: "images.generate", dialect: "apiyi", request: #"{"model":"gpt-image-2-all","prompt":"Landscape 16:9 cinematic, old lighthouse at sunset"}"#),
            Case(surface: "responses", dialect: "azure", request: #"{"model":"gpt-4.1-mini","input":"otter","stream":true,"tools":[{"type":"image_generation","partial_images":1}]}"#),
            Case(surface: "responses", dialect: "aiswing", request: #"{"model":"gpt-image-2","input":[{"role":"user","content":[{"type":"input_text","text":"A premium product poster"}]}],"tools":[{"type":"image_generation","size":"3840x2160","quality":"high","output_format":"png","partial_images":1}],"stream":true}"#),
            Case(surface: "responses", dialect: "openai", request: #"{"model":"gpt-5","input":"otter","tools":[{"type":"image_generation"}]}"#),
        ]
        return cases
    }()

    static func spec(_ surface: String, _ dialect: String = "openai") throws -> ResolvedSpec {
        try SpecCatalog.load(from: specsDirectory).resolve(surface: surface, dialect: dialect)
    }

    @Test("Each synthesized response has no finding above INFO", arguments: cases)
    func conforms(_ example: Case) throws {
        let spec = try SpecCatalog.load(from: Self.specsDirectory).resolve(surface: example.surface, dialect: example.dialect)
        let request = try JSONValue.parse(example.request)
        // The edit examples are multipart forms, as the SDKs send edits: their fields are strings.
        let isForm = example.surface == "images.edit"
        let view = try #require(RequestView(request, isForm: isForm, spec: spec))
        let response = try Synthesizer().respond(to: SynthesisParameters(spec: spec, request: view))
        let report = Validator(spec: spec).validate(ValidationInput(request: request, requestIsForm: isForm, response: response.isEventStream ? .stream(response.body) : .body(response.body)))
        #expect(report.findings.filter { $0.level != .info }.map { "\($0.ruleID): \($0.message)" } == [])
        #expect(response.isEventStream == ((view.isStreaming ?? false) && spec.settings.streamRequests == .stream))
    }

    @Test("The same request gives the same bytes; another seed, other pictures")
    func deterministic() throws {
        let request = try #require(RequestView(try JSONValue.parse(#"{"prompt":"otter","stream":true,"partial_images":1}"#), isResponses: false))
        let spec = try Self.spec("images.generate")
        let first = try Synthesizer().respond(to: SynthesisParameters(spec: spec, request: request, seed: 1))
        let again = try Synthesizer().respond(to: SynthesisParameters(spec: spec, request: request, seed: 1))
        let other = try Synthesizer().respond(to: SynthesisParameters(spec: spec, request: request, seed: 2))
        #expect(first.body == again.body)
        #expect(first.body != other.body)
    }

    @Test("Requests it cannot honour are refused with the reason", arguments: [
        (#"{"prompt":"x","size":"big"}"#, "size big"),
        (#"{"prompt":"x","output_format":"gif"}"#, "output_format gif"),
        (#"{"prompt":"x","background":"transparent","output_format":"jpeg"}"#, "transparent background with jpeg"),
    ])
    func refusals(request: String, reason: String) throws {
        let view = try #require(RequestView(try JSONValue.parse(request), isResponses: false))
        let spec = try Self.spec("images.generate")
        #expect { try SynthesisParameters(spec: spec, request: view) } throws: { error in
            String(describing: error).contains(reason)
        }
    }
}
