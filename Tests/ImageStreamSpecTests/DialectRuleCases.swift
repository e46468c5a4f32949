import Foundation

/// Dialects change what conforms: each overlay has examples on both sides, and the seeds'
/// own requests and responses conform to their dialects.
enum DialectRuleCases {
    static let all: [RuleCase] = azure + aiswing + gateway + apiyi + added

    static let azure: [RuleCase] = {
        let azureStream = Fixtures.responsesEvents(callCompleted: false, finalStatus: "generating")
        return [
            .conformant("RESP-011", "status generating with a result (Azure)", surface: "responses", dialect: "azure", request: Fixtures.responsesRequest(), .events(azureStream)),
            .violated("RESP-011", "status in_progress at the end (Azure)", surface: "responses", dialect: "azure", request: Fixtures.responsesRequest(), .events(Fixtures.responsesEvents(callCompleted: false, finalStatus: "in_progress"))),
            .conformant("RESP-010", "no image_generation_call.completed (Azure)", surface: "responses", dialect: "azure", request: Fixtures.responsesRequest(), .events(azureStream)),
        ]
    }()

    /// The aiswing page's text-to-image request, and its image-to-image request with a data URL.
    nonisolated(unsafe) static let aiswingRequest: Fixtures.Object = [
        "model": "gpt-image-2",
        "input": [["role": "user", "content": [["type": "input_text", "text": "A premium product poster, clean studio lighting, no text, no watermark"]]]],
        "tools": [["type": "image_generation", "size": "3840x2160", "quality": "high", "output_format": "png"]],
        "stream": true,
    ]

    nonisolated(unsafe) static let aiswingImageToImage: Fixtures.Object = aiswingRequest.merging([
        "input": [["role": "user", "content": [
            ["type": "input_image", "image_url": "data:image/png;base64," + Fixtures.png1024],
            ["type": "input_text", "text": "Keep the same subject, turn it into a cinematic product poster"],
        ]]],
    ]) { $1 }

    /// A 4K answer: previews and the final image at 3840x2160, then [DONE].
    nonisolated(unsafe) static let aiswingEvents: [Fixtures.Object] = {
        let image = Fixtures.base64(Fixtures.png(width: 3840, height: 2160))
        return Fixtures.responsesEvents().map { event in
            var event = event
            if event["partial_image_b64"] != nil {
                event["partial_image_b64"] = image
                event["size"] = "3840x2160"
                event["quality"] = "high"
            }
            if var item = event["item"] as? Fixtures.Object, item["result"] != nil {
                item["result"] = image
                item["size"] = "3840x2160"
                item["quality"] = "high"
                event["item"] = item
            }
            if var response = event["response"] as? Fixtures.Object, response["status"] as? String == "completed" {
                response["output"] = [["id": "rs_1", "type": "reasoning"], ["id": "ig_1", "type": "image_generation_call", "status": "completed", "result": image]]
                event["response"] = response
            }
            return event
        }
    }()

    static let aiswing: [RuleCase] = [
        .conformant("AISWING-001", "page: aiswing text to image, a 4K stream ending in [DONE]", surface: "responses", dialect: "aiswing", request: aiswingRequest, .events(aiswingEvents, done: true)),
        .violated("AISWING-001", "no [DONE]", surface: "responses", dialect: "aiswing", request: aiswingRequest, .events(aiswingEvents)),
        .conformant("WIRE-005", "[DONE] documented by aiswing", surface: "responses", dialect: "aiswing", request: aiswingRequest, .events(aiswingEvents, done: true)),
        .violated("WIRE-005", "[DONE] undocumented by OpenAI", surface: "responses", dialect: "openai", request: Fixtures.responsesRequest(), .events(Fixtures.responsesEvents(), done: true)),
        .conformant("AISWING-002", "page: aiswing image to image, a data-URL reference", surface: "responses", dialect: "aiswing", request: aiswingImageToImage, .events(aiswingEvents, done: true)),
        .violated("AISWING-002", "a reference by https URL", surface: "responses", dialect: "aiswing",
                  request: aiswingRequest.merging(["input": [["role": "user", "content": [["type": "input_image", "image_url": "https://example.com/ref.png"]]]]]) { $1 },
                  .events(aiswingEvents, done: true)),
        .conformant("REQ-003", "3840x2160 is an aiswing size", surface: "responses", dialect: "aiswing", request: aiswingRequest, .events(aiswingEvents, done: true)),
    ]

    /// The Gatewyse page's example request and its url answer.
    nonisolated(unsafe) static let gatewayRequest: Fixtures.Object = ["model": "dall-e-3", "prompt": "A watercolor painting of a mountain lake at sunrise", "size": "1024x1024", "quality": "hd", "n": 1]
    nonisolated(unsafe) static let gatewayURLBody: Fixtures.Object = ["created": 1_709_000_000, "data": [["url": "https://cdn.example.com/generated-image.png", "revised_prompt": "A detailed oil painting of a sunset over mountains..."]]]
    nonisolated(unsafe) static let gatewayB64Body: Fixtures.Object = ["created": 1_709_000_000, "data": [["b64_json": Fixtures.png1024, "revised_prompt": "A detailed oil painting of a sunset over mountains..."]]]

    static let gateway: [RuleCase] = [
        .conformant("IMG-GEN-007", "page: Gatewyse's url answer", surface: "images.generate", dialect: "gateway", request: gatewayRequest, .body(gatewayURLBody)),
        .conformant("IMG-GEN-007", "page: Gatewyse's b64_json answer", surface: "images.generate", dialect: "gateway", request: gatewayRequest.merging(["response_format": "b64_json"]) { $1 }, .body(gatewayB64Body)),
        .violated("REQ-004", "a 4001-character prompt", surface: "images.generate", dialect: "gateway", request: gatewayRequest.merging(["prompt": String(repeating: "a", count: 4001)]) { $1 }, .body(gatewayURLBody)),
        .conformant("REQ-004", "a 4000-character prompt", surface: "images.generate", dialect: "gateway", request: gatewayRequest.merging(["prompt": String(repeating: "a", count: 4000)]) { $1 }, .body(gatewayURLBody)),
        .violated("REQ-004", "n 11", surface: "images.generate", dialect: "gateway", request: gatewayRequest.merging(["n": 11]) { $1 }, .body(gatewayURLBody)),
        .violated("REQ-001", "no model (the gateway requires one)", surface: "images.generate", dialect: "gateway", request: gatewayRequest.filter { $0.key != "model" }, .body(gatewayURLBody)),
        .conformant("REQ-003", "style natural and quality hd", surface: "images.generate", dialect: "gateway", request: gatewayRequest.merging(["style": "natural"]) { $1 }, .body(gatewayURLBody)),
    ]

    /// The apiyi page's request, and its answer with a real PNG where the page elides the base64
    /// (1536x864: the prompt says 16:9).
    nonisolated(unsafe) static let apiyiRequest: Fixtures.Object = ["model": "gpt-image-2-all", "prompt": "Landscape 16:9 cinematic, old lighthouse at sunset"]
    static let png16by9 = Fixtures.base64(Fixtures.png(width: 1536, height: 864))
    nonisolated(unsafe) static let apiyiBody: Fixtures.Object = ["data": [["b64_json": "data:image/png;base64," + png16by9]], "created": 1_778_037_127,
                                              "usage": ["input_tokens": 98, "output_tokens": 1185, "total_tokens": 1283]]
    nonisolated(unsafe) static let apiyiURLBody: Fixtures.Object = ["data": [["url": "https://r2cdn.copilotbase.com/r2cdn2/0e82148a-bec0-4b42-bbca-117c6b42581b.png"]], "created": 1_778_037_331,
                                                 "usage": ["input_tokens": 30, "output_tokens": 2074, "total_tokens": 2104]]

    static let apiyi: [RuleCase] = [
        .conformant("IMAGE-001", "page: apiyi's b64_json as a data URL", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody)),
        .violated("IMAGE-001", "raw base64 where apiyi sends a data URL", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(Fixtures.imagesBody())),
        .conformant("APIYI-001", "page: apiyi's one url", surface: "images.generate", dialect: "apiyi", request: apiyiRequest.merging(["response_format": "url"]) { $1 }, .body(apiyiURLBody)),
        .violated("APIYI-001", "both url and b64_json", surface: "images.generate", dialect: "apiyi", request: apiyiRequest,
                  .body(apiyiBody.merging(["data": [["b64_json": "data:image/png;base64," + Fixtures.png1024, "url": "https://example.com/a.png"]]]) { $1 })),
        .violated("REQ-006", "n sent to apiyi", surface: "images.generate", dialect: "apiyi", request: apiyiRequest.merging(["n": 1]) { $1 }, .body(apiyiBody)),
        .conformant("REQ-006", "only model and prompt", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody)),
        .conformant("IMAGE-003", "size ignored by apiyi", surface: "images.generate", dialect: "apiyi", request: apiyiRequest.merging(["size": "1536x1024"]) { $1 }, .body(apiyiBody)),
        .violated("IMAGE-003", "the same under openai", surface: "images.generate", dialect: "openai", request: ["model": "gpt-image-1", "prompt": "x", "size": "1536x1024"], .body(Fixtures.imagesBody())),
        .conformant("SCHEMA-001", "usage without input details (apiyi)", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody)),
        .violated("SCHEMA-001", "usage without input details (openai)", surface: "images.generate", dialect: "openai", request: ["model": "gpt-image-1", "prompt": "x"], .body(Fixtures.imagesBody().merging(["usage": ["input_tokens": 98, "output_tokens": 1185, "total_tokens": 1283]]) { $1 })),
    ]

    /// The rules that make each page's documented deviations checkable.
    static let added: [RuleCase] = {
        let topLevel: Fixtures.Object = ["model": "gpt-image-2", "prompt": "A premium product poster", "size": "3840x2160", "quality": "high", "format": "png", "stream": true]
        let noPrompt: Fixtures.Object = ["model": "gpt-image-2", "size": "3840x2160", "stream": true]
        let urlAsked = gatewayRequest.merging(["response_format": "url"]) { $1 }
        let b64Asked = gatewayRequest.merging(["response_format": "b64_json"]) { $1 }
        let editURL: Fixtures.Object = ["model": "dall-e-2", "prompt": "add a hat", "response_format": "url", "n": "1"]
        let editB64Body: Fixtures.Object = ["created": 1, "data": [["b64_json": Fixtures.png1024]]]
        let editURLBody: Fixtures.Object = ["created": 1, "data": [["url": "https://cdn.example.com/edit.png"]]]
        let streamAsked = gatewayRequest.merging(["stream": true]) { $1 }
        return [
            .conformant("AISWING-003", "the prompt as input text", surface: "responses", dialect: "aiswing", request: aiswingRequest, .events(aiswingEvents, done: true)),
            .conformant("AISWING-003", "page: aiswing's top-level prompt, size, quality and format", surface: "responses", dialect: "aiswing", request: topLevel, .events(aiswingEvents, done: true)),
            .violated("AISWING-003", "neither input nor prompt", surface: "responses", dialect: "aiswing", request: noPrompt, .events(aiswingEvents, done: true)),
            .violated("AISWING-002", "reference_images by https URL", surface: "responses", dialect: "aiswing", request: topLevel.merging(["reference_images": ["https://example.com/ref.png"]]) { $1 }, .events(aiswingEvents, done: true)),
            .conformant("AISWING-002", "reference_images as data URLs", surface: "responses", dialect: "aiswing", request: topLevel.merging(["reference_images": ["data:image/png;base64," + Fixtures.png1024]]) { $1 }, .events(aiswingEvents, done: true)),
            .conformant("GATEWAY-001", "every image with its revised_prompt", surface: "images.generate", dialect: "gateway", request: gatewayRequest, .body(gatewayURLBody)),
            .violated("GATEWAY-001", "an image without revised_prompt", surface: "images.generate", dialect: "gateway", request: gatewayRequest, .body(["created": 1, "data": [["url": "https://cdn.example.com/a.png"]]])),
            .conformant("IMG-GEN-008", "url asked, url given", surface: "images.generate", dialect: "gateway", request: urlAsked, .body(gatewayURLBody)),
            .conformant("IMG-GEN-008", "nothing asked: the gateway's default url", surface: "images.generate", dialect: "gateway", request: gatewayRequest, .body(gatewayURLBody)),
            .conformant("IMG-GEN-008", "b64_json asked, b64_json given", surface: "images.generate", dialect: "gateway", request: b64Asked, .body(gatewayB64Body)),
            .violated("IMG-GEN-008", "url asked, b64_json given", surface: "images.generate", dialect: "gateway", request: urlAsked, .body(gatewayB64Body)),
            .violated("IMG-GEN-008", "nothing asked, b64_json given where the gateway's default is url", surface: "images.generate", dialect: "gateway", request: gatewayRequest, .body(gatewayB64Body)),
            .violated("IMG-GEN-008", "a url that is not one", surface: "images.generate", dialect: "gateway", request: urlAsked, .body(["created": 1, "data": [["url": "not a url", "revised_prompt": "x"]]])),
            .conformant("IMG-EDIT-008", "url asked, url given", surface: "images.edit", dialect: "openai", request: editURL, .body(editURLBody)),
            .violated("IMG-EDIT-008", "url asked, b64_json given", surface: "images.edit", dialect: "openai", request: editURL, .body(editB64Body)),
            .conformant("REQ-008", "dall-e-3 with n 1", surface: "images.generate", dialect: "openai", request: ["model": "dall-e-3", "prompt": "x", "n": 1], .body(Fixtures.imagesBody())),
            .violated("REQ-008", "dall-e-3 with n 2", surface: "images.generate", dialect: "openai", request: ["model": "dall-e-3", "prompt": "x", "n": 2], .body(Fixtures.imagesBody(count: 2))),
            .conformant("REQ-009", "page: apiyi's fixed model", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody)),
            .violated("REQ-009", "another model for apiyi", surface: "images.generate", dialect: "apiyi", request: apiyiRequest.merging(["model": "gpt-image-2"]) { $1 }, .body(apiyiBody)),
            .conformant("APIYI-002", "16:9 asked, 1536x864 given", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody)),
            .violated("APIYI-002", "16:9 asked, a square given", surface: "images.generate", dialect: "apiyi", request: apiyiRequest, .body(apiyiBody.merging(["data": [["b64_json": "data:image/png;base64," + Fixtures.png1024]]]) { $1 })),
            .conformant("WIRE-009", "a stream request answered with the JSON body, as the gateway does", surface: "images.generate", dialect: "gateway", request: streamAsked, .body(gatewayURLBody)),
            .violated("WIRE-009", "a stream request answered with a stream by a gateway that does not stream", surface: "images.generate", dialect: "gateway", request: streamAsked, .events(Fixtures.imageEvents("image_generation"), eventLines: false)),
        ]
    }()
}
