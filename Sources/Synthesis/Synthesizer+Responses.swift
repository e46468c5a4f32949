/// The Responses API with the `image_generation` tool: the documented lifecycle (spec-facts §2.1),
/// with a final `[DONE]` where the dialect documents one. A dialect that streams as the live API
/// does (`synthesized_shape: live`) gets that shape when the response is delivered.
extension Synthesizer {
    func responsesStream(_ parameters: SynthesisParameters) throws(SynthesisError) -> [UInt8] {
        let responseID = "resp_\(String(parameters.seed, radix: 16))"
        let itemID = "ig_\(String(parameters.seed >> 8, radix: 16))"
        var events: [(String, [(String, JSONOut)])] = []
        let pending = responseObjectFields(id: responseID, status: "in_progress", output: [], parameters: parameters, usage: false)
        events.append(("response.created", [("response", .object(pending))]))
        events.append(("response.in_progress", [("response", .object(pending))]))
        events.append(("response.output_item.added", [("output_index", .integer(0)), ("item", .object([("id", .string(itemID)), ("type", .string("image_generation_call")), ("status", .string("in_progress"))]))]))
        events.append(("response.image_generation_call.in_progress", [("output_index", .integer(0)), ("item_id", .string(itemID))]))
        events.append(("response.image_generation_call.generating", [("output_index", .integer(0)), ("item_id", .string(itemID))]))
        for index in 0..<parameters.partialImages {
            events.append(("response.image_generation_call.partial_image", [
                ("output_index", .integer(0)), ("item_id", .string(itemID)), ("partial_image_index", .integer(index)),
                ("partial_image_b64", .string(base64(try image(parameters, partial: index)))),
                ("size", .string("\(parameters.width)x\(parameters.height)")), ("quality", .string(parameters.quality)),
                ("background", .string(parameters.background)), ("output_format", .string(parameters.outputFormat.rawValue)),
            ]))
        }
        events.append(("response.image_generation_call.completed", [("output_index", .integer(0)), ("item_id", .string(itemID))]))
        let item = JSONOut.object(imageItem(id: itemID, status: "completed", result: base64(try image(parameters, partial: nil)), parameters: parameters))
        events.append(("response.output_item.done", [("output_index", .integer(0)), ("item", item)]))
        // The assistant's message after the image, as api.openai.com's streams have it,
        // with text that is not ASCII, so per-read UTF-8 decoding shows.
        let messageID = "msg_\(String(parameters.seed >> 4, radix: 16))"
        let part = JSONOut.object([("type", .string("output_text")), ("annotations", .array([])), ("text", .string(Self.messageText))])
        let emptyPart = JSONOut.object([("type", .string("output_text")), ("annotations", .array([])), ("text", .string(""))])
        let message = JSONOut.object([("id", .string(messageID)), ("type", .string("message")), ("status", .string("completed")), ("content", .array([part])), ("role", .string("assistant"))])
        let textPosition: [(String, JSONOut)] = [("item_id", .string(messageID)), ("output_index", .integer(1)), ("content_index", .integer(0))]
        events.append(("response.output_item.added", [("output_index", .integer(1)), ("item", .object([("id", .string(messageID)), ("type", .string("message")), ("status", .string("in_progress")), ("content", .array([])), ("role", .string("assistant"))]))]))
        events.append(("response.content_part.added", textPosition + [("part", emptyPart)]))
        events.append(("response.output_text.delta", textPosition + [("delta", .string(Self.messageText))]))
        events.append(("response.output_text.done", textPosition + [("text", .string(Self.messageText))]))
        events.append(("response.content_part.done", textPosition + [("part", part)]))
        events.append(("response.output_item.done", [("output_index", .integer(1)), ("item", message)]))
        events.append(("response.completed", [("response", .object(responseObjectFields(id: responseID, status: "completed", output: [item, message], parameters: parameters, usage: true)))]))
        let numbered = events.enumerated().map { index, event in
            JSONOut.object([("type", .string(event.0)), ("sequence_number", .integer(index))] + event.1)
        }
        return serialize(numbered, types: events.map(\.0), done: parameters.settings.doneSentinel == .documented)
    }

    /// Text in several scripts and an emoji: multi-byte UTF-8 that a client decoding each read
    /// on its own, rather than each line, garbles when a read ends inside a character.
    static let revisedPrompt = "A lighthouse at dusk over the sea — Leuchtturm in der Dämmerung, 夕暮れの灯台 🌅"
    static let messageText = "Voilà : le phare au crépuscule — 灯台 🌅"

    func responseObject(_ parameters: SynthesisParameters) throws(SynthesisError) -> JSONOut {
        let itemID = "ig_\(String(parameters.seed >> 8, radix: 16))"
        let item = JSONOut.object(imageItem(id: itemID, status: "completed", result: base64(try image(parameters, partial: nil)), parameters: parameters))
        return .object(responseObjectFields(id: "resp_\(String(parameters.seed, radix: 16))", status: "completed", output: [item], parameters: parameters, usage: true))
    }

    private func imageItem(id: String, status: String, result: String, parameters: SynthesisParameters) -> [(String, JSONOut)] {
        [
            ("id", .string(id)), ("type", .string("image_generation_call")), ("status", .string(status)),
            ("background", .string(parameters.background)), ("output_format", .string(parameters.outputFormat.rawValue)),
            ("quality", .string(parameters.quality)), ("size", .string("\(parameters.width)x\(parameters.height)")),
            ("revised_prompt", .string(Self.revisedPrompt)), ("result", .string(result)),
        ]
    }

    private func responseObjectFields(id: String, status: String, output: [JSONOut], parameters: SynthesisParameters, usage withUsage: Bool) -> [(String, JSONOut)] {
        var fields: [(String, JSONOut)] = [
            ("id", .string(id)), ("object", .string("response")), ("created_at", .integer(Self.createdAt)),
            ("status", .string(status)), ("model", .string("gpt-5")), ("output", .array(output)),
            ("tools", .array([.object([
                ("type", .string("image_generation")), ("background", .string(parameters.background)),
                ("output_format", .string(parameters.outputFormat.rawValue)), ("quality", .string(parameters.quality)),
                ("size", .string("\(parameters.width)x\(parameters.height)")), ("partial_images", .integer(parameters.partialImages)),
            ])])),
        ]
        if withUsage {
            fields.append(("usage", .object([
                ("input_tokens", .integer(120)), ("input_tokens_details", .object([("cached_tokens", .integer(0))])),
                ("output_tokens", .integer(300)), ("output_tokens_details", .object([("reasoning_tokens", .integer(0))])),
                ("total_tokens", .integer(420)),
            ])))
        }
        return fields
    }
}
