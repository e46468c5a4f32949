import Foundation

/// Examples for the shared rules and the Images API's rules, on both image surfaces.
enum ImagesRuleCases {
    static let all: [RuleCase] = cases(surface: "images.generate", prefix: "image_generation", family: "IMG-GEN", request: Fixtures.imagesRequest())
        + cases(surface: "images.edit", prefix: "image_edit", family: "IMG-EDIT", request: Fixtures.editFormRequest())
        + sharedCases + live

    /// The same rules hold on generate and edit; only the event prefix and the IDs differ.
    static func cases(surface: String, prefix: String, family: String, request: Fixtures.Object) -> [RuleCase] {
        let events = Fixtures.imageEvents(prefix)
        let other = prefix == "image_generation" ? "image_edit" : "image_generation"
        // The edit examples are multipart forms, as the SDKs send edits: fields are strings.
        let isForm = surface == "images.edit"
        func bad(_ rule: String, _ name: String, request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            var example = RuleCase.violated(rule, name, surface: surface, request: request, response)
            example.requestIsForm = isForm
            return example
        }
        func good(_ rule: String, _ name: String, request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            var example = RuleCase.conformant(rule, name, surface: surface, request: request, response)
            example.requestIsForm = isForm
            return example
        }
        var nonStreaming = request
        nonStreaming["stream"] = nil
        var twoImages = nonStreaming
        twoImages["n"] = surface == "images.edit" ? "2" : 2
        return [
            good("\(family)-001", "previews then the final image", .events(events)),
            bad("\(family)-001", "an \(other) event on a \(surface) stream", .events(events.editing(0) { $0["type"] = "\(other).partial_image" })),
            good("\(family)-002", "indices 0 and 1", .events(events)),
            bad("\(family)-002", "index 0 twice", .events(events.editing(1) { $0["partial_image_index"] = 0 })),
            bad("\(family)-002", "counting from 1", .events(events.editing(0) { $0["partial_image_index"] = 1 }.editing(1) { $0["partial_image_index"] = 2 })),
            good("\(family)-003", "as many previews as asked", .events(events)),
            bad("\(family)-003", "three previews for partial_images 2", .events(Fixtures.imageEvents(prefix, partials: 3))),
            good("\(family)-004", "all requested previews arrive", .events(events)),
            bad("\(family)-004", "one of two previews (a note, not an error)", .events(Fixtures.imageEvents(prefix, partials: 1))),
            good("\(family)-005", "one final image, last", .events(events)),
            bad("\(family)-005", "no final image", .events(Array(events.dropLast()))),
            bad("\(family)-005", "a preview after the final image", .events([events[0], events[2], events[1]])),
            bad("\(family)-005", "two final images", .events(events + [events[2]])),
            good("\(family)-006", "echoes what was asked", .events(events)),
            good("\(family)-006", "resolves auto", request: request.merging(["quality": "auto"]) { $1 }, .events(events)),
            bad("\(family)-006", "quality low echoed for high", request: request.merging(["quality": "high"]) { $1 }, .events(events)),
            good("\(family)-007", "one image for n 1", request: nonStreaming, .body(Fixtures.imagesBody())),
            bad("\(family)-007", "one image for n 2", request: twoImages, .body(Fixtures.imagesBody())),
            bad("\(family)-007", "an image with neither b64_json nor url", request: nonStreaming, .body(Fixtures.imagesBody().merging(["data": [["revised_prompt": "x"]]]) { $1 })),
        ]
    }

    /// Rules from common.yaml, shown on the generate surface (the edit surface shares the code).
    /// What real Images API bodies carry beyond the docs: a ChatGPT route answers `auto` with
    /// a size outside the documented list and adds `data[].generation_id`.
    static let live: [RuleCase] = {
        let request: Fixtures.Object = ["model": "gpt-image-1", "prompt": "a sea otter", "size": "auto"]
        let body: Fixtures.Object = ["created": 1_763_800_000, "size": "1254x1254", "output_format": "png", "quality": "medium", "background": "opaque",
                                     "data": [["b64_json": Fixtures.base64(Fixtures.png(width: 1254, height: 1254)), "generation_id": "gen_01"]],
                                     "usage": ["input_tokens": 50, "input_tokens_details": ["image_tokens": 10, "text_tokens": 40], "output_tokens": 272,
                                               "output_tokens_details": ["image_tokens": 272, "text_tokens": 0], "total_tokens": 322]]
        return [
            .conformant("SCHEMA-003", "live: size 1254x1254 answered for auto", surface: "images.generate", request: request, .body(body)),
            .conformant("IMAGE-003", "live: a 1254x1254 image for auto", surface: "images.generate", request: request, .body(body)),
            .conformant("IMG-GEN-007", "live: data[] with generation_id", surface: "images.generate", request: request, .body(body)),
        ]
    }()

    static let sharedCases: [RuleCase] = {
        let surface = "images.generate"
        let request = Fixtures.imagesRequest()
        let events = Fixtures.imageEvents("image_generation")
        let stream = Fixtures.stream(events)
        func bad(_ rule: String, _ name: String, dialect: String = "openai", request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            .violated(rule, name, surface: surface, dialect: dialect, request: request, response)
        }
        func good(_ rule: String, _ name: String, dialect: String = "openai", request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            .conformant(rule, name, surface: surface, dialect: dialect, request: request, response)
        }
        var nonStreaming = request
        nonStreaming["stream"] = false
        var transparent = request
        transparent["background"] = "transparent"
        let transparentEvents = Fixtures.imageEvents("image_generation").map { event in
            event.merging(["background": "transparent"]) { $1 }
        }
        return [
            good("WIRE-001", "ends after a blank line", .events(events)),
            bad("WIRE-001", "cut off inside the final event", .bytes(Array(stream.dropLast(200)))),
            good("WIRE-002", "JSON objects", .events(events)),
            bad("WIRE-002", "data that is not JSON", .bytes(Array("event: image_generation.partial_image\ndata: {\"type\": \n\n".utf8) + stream)),
            bad("WIRE-002", "data that is a JSON number", .bytes(Array("data: 42\n\n".utf8) + stream)),
            good("WIRE-003", "event lines equal to the types", .events(events)),
            bad("WIRE-003", "an event line naming another type", .bytes(Array("event: image_generation.completed\n".utf8) + Array(Fixtures.stream([events[0]], eventLines: false)) + Fixtures.stream(Array(events.dropFirst())))),
            good("WIRE-004", "event lines present", .events(events)),
            bad("WIRE-004", "no event lines", .events(events, eventLines: false)),
            good("WIRE-004", "no event lines, in a dialect that makes them optional", dialect: "gateway", request: request.merging(["model": "dall-e-3"]) { $1 }, .events(events, eventLines: false)),
            good("WIRE-005", "no [DONE]", .events(events)),
            bad("WIRE-005", "a [DONE] OpenAI does not document", .events(events, done: true)),
            good("WIRE-006", "[DONE] last", .events(events, done: true)),
            bad("WIRE-006", "an event after [DONE]", .bytes(Fixtures.stream(Array(events.dropLast()), done: true) + Fixtures.stream([events[2]]))),
            good("WIRE-007", "no id or retry", .events(events)),
            bad("WIRE-007", "an id field", .bytes(Array("id: 1\n".utf8) + stream)),
            bad("WIRE-007", "a retry field", .bytes(Array("retry: 3000\n".utf8) + stream)),
            good("WIRE-008", "plain UTF-8", .events(events)),
            bad("WIRE-008", "a BOM", .bytes([0xEF, 0xBB, 0xBF] + stream)),
            bad("WIRE-008", "invalid UTF-8 in a comment", .bytes(Array(": ".utf8) + [0xC3, 0x28] + Array("\n".utf8) + stream)),
            good("WIRE-009", "a stream for stream true", .events(events)),
            good("WIRE-009", "a body for stream false", request: nonStreaming, .body(Fixtures.imagesBody())),
            bad("WIRE-009", "a body for stream true", .body(Fixtures.imagesBody())),
            bad("WIRE-009", "a stream for stream false", request: nonStreaming, .events(events)),
            good("WIRE-010", "events", .events(events)),
            bad("WIRE-010", "nothing at all", .bytes([])),
            bad("WIRE-010", "only comments", .bytes(Array(": keep-alive\n\n".utf8))),
            good("SCHEMA-001", "every required field", .events(events)),
            bad("SCHEMA-001", "a preview without created_at", .events(events.editing(0) { $0["created_at"] = nil })),
            bad("SCHEMA-001", "usage without input_tokens_details", .events(events.editing(2) { $0["usage"] = ["input_tokens": 50, "output_tokens": 272, "total_tokens": 322] })),
            good("SCHEMA-002", "documented types", .events(events)),
            bad("SCHEMA-002", "created_at as a string", .events(events.editing(0) { $0["created_at"] = "1763800000" })),
            bad("SCHEMA-002", "b64_json null", .events(events.editing(0) { $0["b64_json"] = NSNull() })),
            good("SCHEMA-003", "documented values", .events(events)),
            good("SCHEMA-003", "a WIDTHxHEIGHT size", request: request.merging(["size": "auto"]) { $1 }, .events(events.editing(2) { $0["size"] = "1024x1024" })),
            bad("SCHEMA-003", "quality ultra", request: request.merging(["quality": "auto"]) { $1 }, .events(events.editing(0) { $0["quality"] = "ultra" })),
            good("SCHEMA-004", "counts within range", .events(events)),
            bad("SCHEMA-004", "negative output_tokens", .events(events.editing(2) { $0["usage"] = ["input_tokens": 50, "input_tokens_details": ["image_tokens": 10, "text_tokens": 40], "output_tokens": -1, "total_tokens": 49] })),
            good("IMAGE-001", "raw base64", .events(events)),
            bad("IMAGE-001", "a data-URL prefix OpenAI does not send", .events(events.editing(2) { $0["b64_json"] = "data:image/png;base64," + Fixtures.png1024 })),
            bad("IMAGE-001", "text that is not base64", .events(events.editing(2) { $0["b64_json"] = "iVBORw0KGgo!!" })),
            good("IMAGE-002", "a complete PNG", .events(events)),
            bad("IMAGE-002", "a PNG labelled jpeg", request: request.merging(["output_format": "jpeg"]) { $1 }, .events(events.map { $0.merging(["output_format": "jpeg"]) { $1 } })),
            bad("IMAGE-002", "a truncated PNG", .events(events.editing(2) { $0["b64_json"] = Fixtures.base64(Array(Fixtures.png(width: 1024, height: 1024).dropLast(40))) })),
            bad("IMAGE-002", "bytes that are no image", .events(events.editing(2) { $0["b64_json"] = Fixtures.base64(Array("hello, world".utf8)) })),
            good("IMAGE-003", "1024x1024 as asked", .events(events)),
            good("IMAGE-003", "any size for auto", request: request.merging(["size": "auto"]) { $1 }, .events(events)),
            bad("IMAGE-003", "1024x1024 for 1024x1536", request: request.merging(["size": "1024x1536"]) { $1 }, .events(events.map { $0.merging(["size": "1024x1536"]) { $1 } })),
            good("IMAGE-004", "an RGBA PNG for transparent", request: transparent, .events(transparentEvents.map { $0.merging(["b64_json": Fixtures.png1024Alpha]) { $1 } })),
            bad("IMAGE-004", "an RGB PNG for transparent", request: transparent, .events(transparentEvents)),
            good("USAGE-001", "total = input + output", .events(events)),
            bad("USAGE-001", "a wrong total", .events(events.editing(2) { $0["usage"] = ["input_tokens": 50, "input_tokens_details": ["image_tokens": 10, "text_tokens": 40], "output_tokens": 272, "total_tokens": 300] })),
            bad("USAGE-001", "a wrong total in a body", request: nonStreaming, .body(Fixtures.imagesBody().merging(["usage": ["input_tokens": 1, "input_tokens_details": ["image_tokens": 0, "text_tokens": 1], "output_tokens": 2, "total_tokens": 4]]) { $1 })),
            good("USAGE-002", "input = image + text", .events(events)),
            bad("USAGE-002", "details that do not add up", .events(events.editing(2) { $0["usage"] = ["input_tokens": 50, "input_tokens_details": ["image_tokens": 1, "text_tokens": 1], "output_tokens": 272, "total_tokens": 322] })),
            good("REQ-001", "a prompt", .events(events)),
            bad("REQ-001", "no prompt", request: request.merging(["prompt": NSNull()]) { $1 }.filter { $0.key != "prompt" }, .events(events)),
            good("REQ-002", "documented types", .events(events)),
            bad("REQ-002", "partial_images as a string in JSON", request: request.merging(["partial_images": "2"]) { $1 }, .events(events)),
            // A JSON body whose every field is a string is still JSON: "2" is not a number.
            bad("REQ-002", "n as a string in a JSON body of strings", request: ["model": "gpt-image-1", "prompt": "otter", "n": "1"], .events(events)),
            { var form = good("REQ-002", "n as a form field's string", request: ["model": "gpt-image-1", "prompt": "otter", "n": "1"], .events(events)); form.requestIsForm = true; return form }(),
            good("REQ-003", "documented values", .events(events)),
            bad("REQ-003", "moderation strict", request: request.merging(["moderation": "strict"]) { $1 }, .events(events)),
            good("REQ-004", "partial_images 2", .events(events)),
            bad("REQ-004", "partial_images 5", request: request.merging(["partial_images": 5]) { $1 }, .events(Fixtures.imageEvents("image_generation", partials: 3))),
            bad("REQ-004", "an empty prompt", request: request.merging(["prompt": ""]) { $1 }, .events(events)),
            good("REQ-005", "transparent png", request: transparent, .events(transparentEvents.map { $0.merging(["b64_json": Fixtures.png1024Alpha]) { $1 } })),
            bad("REQ-005", "transparent jpeg", request: transparent.merging(["output_format": "jpeg"]) { $1 }, .events(events)),
            good("REQ-007", "1024x1024 for gpt-image-2", request: request.merging(["model": "gpt-image-2"]) { $1 }, .events(events)),
            good("REQ-007", "3840x2160 for gpt-image-2", request: request.merging(["model": "gpt-image-2", "size": "3840x2160"]) { $1 }, .body(Fixtures.imagesBody())),
            bad("REQ-007", "1000x1000 for gpt-image-2", request: request.merging(["model": "gpt-image-2", "size": "1000x1000"]) { $1 }, .events(events)),
            bad("REQ-007", "4096x2160 for gpt-image-2", request: request.merging(["model": "gpt-image-2", "size": "4096x2160"]) { $1 }, .events(events)),
            bad("REQ-007", "1792x1024 for gpt-image-1", request: nonStreaming.merging(["size": "1792x1024"]) { $1 }, .body(Fixtures.imagesBody())),
            good("REQ-007", "1792x1024 for dall-e-3", request: nonStreaming.merging(["model": "dall-e-3", "size": "1792x1024"]) { $1 }, .body(Fixtures.imagesBody())),
            bad("REQ-007", "512x512 for dall-e-3", request: nonStreaming.merging(["model": "dall-e-3", "size": "512x512"]) { $1 }, .body(Fixtures.imagesBody())),
            good("ERR-001", "a complete error body", request: request, .body(["error": ["message": "Unknown parameter: 'response_format'.", "type": "invalid_request_error", "param": "response_format", "code": "unknown_parameter"]])),
            good("ERR-001", "null param and code", request: request, .body(["error": ["message": "Hosted tool 'image_generation' is not supported with gpt-4.o.", "type": "invalid_request_error", "param": "tools", "code": NSNull()]])),
            bad("ERR-001", "an error with only a message", request: request, .body(["error": ["message": "quota"]])),
            bad("ERR-001", "an error that is a string", request: request, .body(["error": "quota"])),
        ]
    }()
}
