import Foundation
import ImageFormats
import ImageStreamSpec
import MockServer
import SSEWire
import ServerTestKit
import Testing

/// Each gateway page's own example requests, sent to `tapedeck serve --synthesize` in the
/// page's dialect, are answered as the page documents.
@Suite("The gateways' pages, answered as documented", .serialized)
struct DialectPagesTests {
    static func post(_ dialect: String, _ path: String, _ body: String, scenario: String = "seed=1") async throws -> (LoopbackClient.Response, LoopbackClient) {
        try await ServerHarness.withServer({ $0.dialect = dialect }) { server in
            let client = LoopbackClient(port: server.port)
            let response = try await ServerHarness.blocking { try client.post("/s/\(scenario)\(path)", json: body) }
            return (response, client)
        }
    }

    static func json(_ response: LoopbackClient.Response) throws -> JSONValue {
        try JSONValue.parse(response.body)
    }

    static func image(_ text: String?) throws -> ImageInspection {
        let (_, base64) = ImageDataURL.split(try #require(text))
        return ImageInspector.inspect(try #require(Data(base64Encoded: String(base64))))
    }

    // MARK: aiswing (https://img.gohok.top/docs.html)

    static let aiswingText = #"{"model":"gpt-image-2","input":[{"role":"user","content":[{"type":"input_text","text":"A premium product poster, clean studio lighting, no text, no watermark"}]}],"tools":[{"type":"image_generation","size":"3840x2160","quality":"high","output_format":"png"}],"stream":true}"#

    @Test("aiswing text to image: a 4K stream as the live API sends it (a preview equal to the final image, status generating), ending in [DONE]")
    func aiswingTextToImage() async throws {
        let (response, _) = try await Self.post("aiswing", "/v1/responses", Self.aiswingText)
        #expect(response.status == 200)
        let events = SSEParser.parse(response.body).events
        #expect(events.last?.data == "[DONE]")
        let json = events.dropLast().compactMap { try? JSONValue.parse($0.data) }
        #expect(!json.contains { $0["type"]?.string == "response.image_generation_call.completed" })
        let partial = try #require(json.first { $0["type"]?.string == "response.image_generation_call.partial_image" })
        let done = try #require(json.first { $0["type"]?.string == "response.output_item.done" && $0["item"]?["type"]?.string == "image_generation_call" })
        #expect(done["item"]?["status"]?.string == "generating")
        #expect(partial["partial_image_b64"] == done["item"]?["result"])
        let inspection = try Self.image(done["item"]?["result"]?.string)
        #expect(inspection.width == 3840 && inspection.height == 2160)
        let spec = try SpecCatalog.load(from: ServerHarness.specsDirectory).resolve(surface: "responses", dialect: "aiswing")
        let report = Validator(spec: spec).validate(ValidationInput(request: try JSONValue.parse(Self.aiswingText), response: .stream(response.body)))
        #expect(report.findings.filter { $0.level != .info }.map(\.ruleID) == [])
    }

    @Test("aiswing image to image with a data-URL reference, and the parameter table's top-level prompt, size, quality and format")
    func aiswingOtherRequests() async throws {
        let reference = "data:image/png;base64,iVBORw0KGgoAAA"
        let imageToImage = #"{"model":"gpt-image-2","input":[{"role":"user","content":[{"type":"input_image","image_url":"\#(reference)"},{"type":"input_text","text":"Keep the same subject"}]}],"tools":[{"type":"image_generation","size":"1024x1024","output_format":"png"}],"stream":true}"#
        #expect(try await Self.post("aiswing", "/v1/responses", imageToImage).0.status == 200)
        let topLevel = #"{"model":"gpt-image-2","prompt":"A premium product poster","size":"1536x1024","quality":"high","format":"webp","stream":true}"#
        let (response, _) = try await Self.post("aiswing", "/v1/responses", topLevel)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let done = try #require(SSEParser.parse(response.body).events.compactMap { try? JSONValue.parse($0.data) }.first { $0["type"]?.string == "response.output_item.done" })
        let inspection = try Self.image(done["item"]?["result"]?.string)
        #expect(inspection.format == .webp && inspection.width == 1536 && inspection.height == 1024)
        let noPrompt = try await Self.post("aiswing", "/v1/responses", #"{"model":"gpt-image-2","size":"1024x1024","stream":true}"#).0
        #expect(noPrompt.status == 400)
        #expect(String(decoding: noPrompt.body, as: UTF8.self).contains("AISWING-003"))
        let httpsReference = #"{"model":"gpt-image-2","prompt":"x","reference_images":["https://example.com/a.png"],"stream":true}"#
        #expect(try await Self.post("aiswing", "/v1/responses", httpsReference).0.status == 400)
    }

    // MARK: Gatewyse (https://www.gatewyse.com/docs/api-reference/images/)

    static let gatewayCurl = #"{"model":"dall-e-3","prompt":"A watercolor painting of a mountain lake at sunrise","size":"1024x1024","quality":"hd","n":1}"#

    @Test("Gatewyse's curl gets the url answer with revised_prompt; the URL serves the image, with alpha where it was asked for")
    func gatewayURL() async throws {
        try await ServerHarness.withServer({ $0.dialect = "gateway" }) { server in
            let client = LoopbackClient(port: server.port)
            let response = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: Self.gatewayCurl) }
            #expect(response.status == 200)
            let body = try Self.json(response)
            let item = try #require(body["data"]?.array?.first)
            #expect(item["revised_prompt"]?.string?.isEmpty == false)
            #expect(body["usage"] == nil && body["size"] == nil, "the page's answer has created and data only")
            let url = try #require(item["url"]?.string)
            #expect(url.hasPrefix(server.baseURL + "/s/"), "\(url)")
            let path = String(url.dropFirst(server.baseURL.count))
            let image = try await ServerHarness.blocking { try client.get(path) }
            #expect(image.status == 200)
            let inspection = ImageInspector.inspect(image.body)
            #expect(inspection.format == .png && inspection.width == 1024 && inspection.hasAlpha == false)
            let transparent = try await ServerHarness.blocking { try client.post("/v1/images/generations", json: #"{"model":"gpt-image-1","prompt":"a sticker","background":"transparent","output_format":"png","quality":"hd"}"#) }
            let transparentURL = try #require(try Self.json(transparent)["data"]?.array?.first?["url"]?.string)
            let transparentImage = try await ServerHarness.blocking { try client.get(String(transparentURL.dropFirst(server.baseURL.count))) }
            #expect(ImageInspector.inspect(transparentImage.body).hasAlpha == true)
        }
    }

    @Test("Gatewyse: b64_json when asked, a stream request answered with the body, and its parameter table enforced", arguments: [
        (#"{"model":"dall-e-3","prompt":"x","n":11}"#, "n"),
        (#"{"model":"dall-e-3","prompt":"\#(String(repeating: "a", count: 4001))"}"#, "prompt"),
        (#"{"model":"dall-e-3","prompt":"x","style":"bold"}"#, "style"),
        (#"{"model":"dall-e-3","prompt":"x","quality":"ultra"}"#, "quality"),
        (#"{"model":"dall-e-3","prompt":"x","response_format":"png"}"#, "response_format"),
        (#"{"model":"dall-e-3","prompt":"x","n":2}"#, "n"),
        (#"{"prompt":"x"}"#, "model"),
    ])
    func gatewayParameters(request: String, parameter: String) async throws {
        let (refused, _) = try await Self.post("gateway", "/v1/images/generations", request)
        #expect(refused.status == 400, "\(request)")
        #expect(try Self.json(refused)["error"]?["param"]?.string == parameter, "\(String(decoding: refused.body, as: UTF8.self))")
    }

    @Test("Gatewyse: b64_json when asked, and a stream request gets the JSON body")
    func gatewayB64() async throws {
        let (b64, _) = try await Self.post("gateway", "/v1/images/generations", #"{"model":"dall-e-3","prompt":"x","response_format":"b64_json"}"#)
        let item = try #require(try Self.json(b64)["data"]?.array?.first)
        #expect(try Self.image(item["b64_json"]?.string).isComplete)
        #expect(item["revised_prompt"] != nil)
        let (streamed, _) = try await Self.post("gateway", "/v1/images/generations", #"{"model":"dall-e-3","prompt":"x","stream":true}"#)
        #expect(streamed.header("Content-Type") == "application/json")
    }

    // MARK: apiyi (https://docs.apiyi.com/en/api-capabilities/gpt-image-2-all/text-to-image)

    @Test("apiyi: the size comes from the prompt's words, whatever size says", arguments: [
        ("Landscape 16:9 cinematic, old lighthouse at sunset", nil, 1536, 864),
        ("Portrait 9:16 phone wallpaper, cyberpunk city rainy night", nil, 864, 1536),
        ("1024×1024 square logo, minimalist cat line art", nil, 1024, 1024),
        ("Landscape 16:9 cinematic, old lighthouse at sunset", "1024x1536", 1536, 864),
    ] as [(String, String?, Int, Int)])
    func apiyiSizes(prompt: String, size: String?, width: Int, height: Int) async throws {
        let sizeField = size.map { #","size":"\#($0)""# } ?? ""
        let (response, _) = try await Self.post("apiyi", "/v1/images/generations", #"{"model":"gpt-image-2-all","prompt":"\#(prompt)"\#(sizeField)}"#)
        #expect(response.status == 200)
        let body = try Self.json(response)
        let payload = try #require(body["data"]?.array?.first?["b64_json"]?.string)
        #expect(payload.hasPrefix("data:image/png;base64,"))
        let inspection = try Self.image(payload)
        #expect(inspection.width == width && inspection.height == height)
        #expect(body["usage"]?["input_tokens_details"] == nil && body["usage"]?["total_tokens"] != nil)
    }

    @Test("apiyi: one url when asked, the fixed model, the rejected parameters, and a stream request answered with the body")
    func apiyiRest() async throws {
        let (url, _) = try await Self.post("apiyi", "/v1/images/generations", #"{"model":"gpt-image-2-all","prompt":"Landscape 16:9","response_format":"url"}"#)
        let item = try #require(try Self.json(url)["data"]?.array?.first)
        #expect(item["url"]?.string != nil && item["b64_json"] == nil)
        for (request, parameter) in [(#"{"model":"gpt-image-2","prompt":"x"}"#, "model"), (#"{"model":"gpt-image-2-all","prompt":"x","n":1}"#, "n"), (#"{"model":"gpt-image-2-all","prompt":"x","quality":"high"}"#, "quality")] {
            let (refused, _) = try await Self.post("apiyi", "/v1/images/generations", request)
            #expect(refused.status == 400)
            #expect(try Self.json(refused)["error"]?["param"]?.string == parameter, "\(String(decoding: refused.body, as: UTF8.self))")
        }
        let (streamed, _) = try await Self.post("apiyi", "/v1/images/generations", #"{"model":"gpt-image-2-all","prompt":"x","stream":true}"#)
        #expect(streamed.status == 200 && streamed.header("Content-Type") == "application/json")
    }

    // MARK: The openai dialect

    @Test("openai: dall-e-3 makes one image per request")
    func dallE3() async throws {
        let (refused, _) = try await Self.post("openai", "/v1/images/generations", #"{"model":"dall-e-3","prompt":"x","n":2}"#)
        #expect(refused.status == 400)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("REQ-008"))
    }
}
