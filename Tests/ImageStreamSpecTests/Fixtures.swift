import CZlib
import Foundation
import ImageStreamSpec

/// Real images and realistic requests and responses, built for the rule tables.
enum Fixtures {
    /// The repository's Specs/ folder.
    static let specsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs").path

    private static let loadedCatalog = Result { () throws(SpecLoadError) in try SpecCatalog.load(from: specsDirectory) }

    /// The bundled catalog, loaded once.
    static func catalog() throws -> SpecCatalog { try loadedCatalog.get() }

    /// A real PNG: 8-bit RGB, or RGBA when `alpha`, a gradient so it is not all zeros.
    static func png(width: Int, height: Int, alpha: Bool = false) -> [UInt8] {
        let channels = alpha ? 4 : 3
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * channels))
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                raw.append(UInt8(truncatingIfNeeded: x * 255 / max(1, width)))
                raw.append(UInt8(truncatingIfNeeded: y * 255 / max(1, height)))
                raw.append(96)
                if alpha { raw.append(UInt8(truncatingIfNeeded: (x + y) & 0xFF)) }
            }
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        _ = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 6)
        compressed.removeLast(compressed.count - Int(compressedLength))

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let typed = Array(type.utf8) + data
            png += bigEndian(UInt32(data.count)) + typed + bigEndian(UInt32(crc32(0, typed, uInt(typed.count))))
        }
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, alpha ? 6 : 2, 0, 0, 0])
        chunk("IDAT", compressed)
        chunk("IEND", [])
        return png
    }

    static let png1024 = base64(png(width: 1024, height: 1024))
    static let png1024Alpha = base64(png(width: 1024, height: 1024, alpha: true))

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    // MARK: Streams

    typealias Object = [String: Any]

    /// Writes events as an event stream: an `event:` line equal to the type (unless told
    /// otherwise), one `data:` line, a blank line.
    static func stream(_ events: [Object], eventLines: Bool = true, done: Bool = false) -> [UInt8] {
        var text = ""
        for event in events {
            if eventLines, let type = event["type"] as? String { text += "event: \(type)\n" }
            text += "data: \(json(event))\n\n"
        }
        if done { text += "data: [DONE]\n\n" }
        return Array(text.utf8)
    }

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    static func jsonValue(_ object: Object) -> JSONValue {
        try! JSONValue.parse(json(object))
    }

    // MARK: The Images API

    static func imagesRequest(partialImages: Int = 2) -> Object {
        ["model": "gpt-image-1", "prompt": "a sea otter", "stream": true, "partial_images": partialImages,
         "size": "1024x1024", "quality": "low", "output_format": "png", "background": "opaque"]
    }

    /// The edit request as multipart form fields travel: every value a string.
    static func editFormRequest(partialImages: Int = 2) -> Object {
        ["model": "gpt-image-1", "prompt": "add a hat", "stream": "true", "partial_images": "\(partialImages)",
         "size": "1024x1024", "quality": "low", "output_format": "png", "background": "opaque", "n": "1"]
    }

    static func imageEvent(_ prefix: String, role: String, index: Int? = nil, payload: String = png1024) -> Object {
        var event: Object = ["type": "\(prefix).\(role)", "b64_json": payload, "created_at": 1_763_800_000,
                             "size": "1024x1024", "quality": "low", "background": "opaque", "output_format": "png"]
        if let index { event["partial_image_index"] = index }
        if role == "completed" {
            event["usage"] = ["input_tokens": 50, "input_tokens_details": ["image_tokens": 10, "text_tokens": 40],
                              "output_tokens": 272, "total_tokens": 322]
        }
        return event
    }

    /// A conformant Images API stream: `partials` previews, then the final image.
    static func imageEvents(_ prefix: String, partials: Int = 2) -> [Object] {
        (0..<partials).map { imageEvent(prefix, role: "partial_image", index: $0) } + [imageEvent(prefix, role: "completed")]
    }

    static func imagesBody(count: Int = 1) -> Object {
        ["created": 1_763_800_000, "data": (0..<count).map { _ in ["b64_json": png1024] },
         "usage": ["input_tokens": 50, "input_tokens_details": ["image_tokens": 10, "text_tokens": 40], "output_tokens": 272, "total_tokens": 322]]
    }

    // MARK: The Responses API

    static func responsesRequest(partialImages: Int? = 1) -> Object {
        var tool: Object = ["type": "image_generation", "size": "1024x1024", "quality": "low", "output_format": "png", "background": "opaque"]
        if let partialImages { tool["partial_images"] = partialImages }
        return ["model": "gpt-5", "input": "draw a sea otter", "stream": true, "tools": [tool]]
    }

    static func doneItem(status: String = "completed") -> Object {
        ["id": "ig_1", "type": "image_generation_call", "status": status, "result": png1024,
         "size": "1024x1024", "quality": "low", "output_format": "png", "background": "opaque", "revised_prompt": "A sea otter"]
    }

    /// The observed order (spec-facts §2.1) with a reasoning item before the image call.
    static func responsesEvents(partials: Int = 1, callCompleted: Bool = true, finalStatus: String = "completed") -> [Object] {
        let response: Object = ["id": "resp_1", "status": "in_progress", "output": []]
        var events: [Object] = [
            ["type": "response.created", "response": response],
            ["type": "response.in_progress", "response": response],
            ["type": "response.output_item.added", "output_index": 0, "item": ["id": "rs_1", "type": "reasoning"]],
            ["type": "response.output_item.done", "output_index": 0, "item": ["id": "rs_1", "type": "reasoning"]],
            ["type": "response.output_item.added", "output_index": 1, "item": ["id": "ig_1", "type": "image_generation_call", "status": "in_progress"]],
            ["type": "response.image_generation_call.in_progress", "output_index": 1, "item_id": "ig_1"],
            ["type": "response.image_generation_call.generating", "output_index": 1, "item_id": "ig_1"],
        ]
        for index in 0..<partials {
            events.append(["type": "response.image_generation_call.partial_image", "output_index": 1, "item_id": "ig_1",
                           "partial_image_index": index, "partial_image_b64": png1024, "size": "1024x1024",
                           "quality": "low", "background": "opaque", "output_format": "png"])
        }
        if callCompleted {
            events.append(["type": "response.image_generation_call.completed", "output_index": 1, "item_id": "ig_1"])
        }
        events.append(["type": "response.output_item.done", "output_index": 1, "item": doneItem(status: finalStatus)])
        events.append(["type": "response.completed", "response": ["id": "resp_1", "status": "completed",
                                                                    "output": [["id": "rs_1", "type": "reasoning"], doneItem(status: finalStatus)]]])
        return numbered(events)
    }

    /// The stream api.openai.com really sends (openai/openai-dotnet
    /// tests/SessionRecords/ResponsesTests/ImageGenToolStreaming.json, 2025-12-03), with its
    /// extra fields: no partial_images asked, yet one partial equal to the final image; no
    /// response.image_generation_call.completed; the finished item left at status generating
    /// in output_item.done and in response.completed; a message item; no [DONE].
    static func liveEvents() -> [Object] {
        let response: Object = ["id": "resp_1", "object": "response", "status": "in_progress", "error": NSNull(), "output": [], "usage": NSNull(),
                                "tools": [["type": "image_generation", "background": "opaque", "model": "gpt-image-1", "moderation": "auto", "n": 1, "output_compression": 100, "output_format": "png", "quality": "low", "size": "auto"]]]
        let item: Object = ["id": "ig_1", "type": "image_generation_call", "status": "generating", "action": "generate", "background": "opaque", "output_format": "png",
                            "quality": "low", "result": png1024, "revised_prompt": "Ein Otter im Seegras, Dämmerung — 海獺 🦦", "size": "1024x1024"]
        let message: Object = ["id": "msg_1", "type": "message", "status": "completed", "role": "assistant", "content": [["type": "output_text", "annotations": [], "logprobs": [], "text": ""]]]
        let usage: Object = ["input_tokens": 3207, "input_tokens_details": ["cached_tokens": 0, "cache_write_tokens": 0], "output_tokens": 84,
                             "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": 3291, "tool_usage": ["image_gen": ["input_tokens": 50, "output_tokens": 272]]]
        var completed = response
        completed["status"] = "completed"
        completed["output"] = [item, message]
        completed["usage"] = usage
        return numbered([
            ["type": "response.created", "response": response],
            ["type": "response.in_progress", "response": response],
            ["type": "response.output_item.added", "output_index": 0, "item": ["id": "ig_1", "type": "image_generation_call", "status": "in_progress"]],
            ["type": "response.image_generation_call.in_progress", "output_index": 0, "item_id": "ig_1"],
            ["type": "response.image_generation_call.generating", "output_index": 0, "item_id": "ig_1", "obfuscation": "x1Yz"],
            ["type": "response.image_generation_call.partial_image", "output_index": 0, "item_id": "ig_1", "partial_image_index": 0, "partial_image_b64": png1024,
             "size": "1024x1024", "quality": "low", "background": "opaque", "output_format": "png"],
            ["type": "response.output_item.done", "output_index": 0, "item": item],
            ["type": "response.output_item.added", "output_index": 1, "item": message.merging(["status": "in_progress", "content": []]) { $1 }],
            ["type": "response.content_part.added", "item_id": "msg_1", "output_index": 1, "content_index": 0, "part": ["type": "output_text", "annotations": [], "text": ""]],
            ["type": "response.output_text.done", "item_id": "msg_1", "output_index": 1, "content_index": 0, "text": "", "logprobs": []],
            ["type": "response.content_part.done", "item_id": "msg_1", "output_index": 1, "content_index": 0, "part": ["type": "output_text", "annotations": [], "text": ""]],
            ["type": "response.output_item.done", "output_index": 1, "item": message],
            ["type": "response.completed", "response": completed],
        ])
    }

    /// The request of the live stream: no partial_images, size auto.
    static func liveRequest() -> Object {
        ["model": "gpt-4o-mini", "input": "draw a sea otter", "stream": true,
         "tools": [["type": "image_generation", "model": "gpt-image-1", "quality": "low", "size": "auto", "output_format": "png", "background": "opaque"]]]
    }

    /// A non-streaming Responses body as api.openai.com answers (openai/openai-dotnet session records, pydantic/pydantic-ai cassettes).
    static func responseBody() -> Object {
        ["id": "resp_1", "object": "response", "created_at": 1_764_777_884, "status": "completed", "error": NSNull(), "incomplete_details": NSNull(),
         "model": "gpt-4o-mini-2024-07-18",
         "output": [["id": "ig_1", "type": "image_generation_call", "status": "completed", "background": "opaque", "output_format": "png", "quality": "low",
                     "result": png1024, "revised_prompt": "A sea otter", "size": "1024x1024"]],
         "tools": [["type": "image_generation", "background": "opaque", "output_format": "png", "quality": "low", "size": "1024x1024"]],
         "usage": ["input_tokens": 2295, "input_tokens_details": ["cached_tokens": 0], "output_tokens": 99, "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": 2394]]
    }

    /// Sets sequence_number 0, 1, 2, … on every event.
    static func numbered(_ events: [Object]) -> [Object] {
        events.enumerated().map { index, event in
            var event = event
            event["sequence_number"] = index
            return event
        }
    }
}
