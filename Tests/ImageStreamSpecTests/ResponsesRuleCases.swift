import Foundation

/// Examples for the Responses API's rules.
enum ResponsesRuleCases {
    static let all: [RuleCase] = {
        let surface = "responses"
        let request = Fixtures.responsesRequest()
        let events = Fixtures.responsesEvents()
        func bad(_ rule: String, _ name: String, request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            .violated(rule, name, surface: surface, request: request, response)
        }
        func good(_ rule: String, _ name: String, request: Fixtures.Object? = request, _ response: RuleCase.Response) -> RuleCase {
            .conformant(rule, name, surface: surface, request: request, response)
        }
        /// Index of the first event of a type.
        func at(_ type: String) -> Int { events.firstIndex { $0["type"] as? String == type }! }
        let partial = at("response.image_generation_call.partial_image")
        let callCompleted = at("response.image_generation_call.completed")
        let imageAdded = 4
        let imageDone = events.lastIndex { $0["type"] as? String == "response.output_item.done" }!
        let nestedError: Fixtures.Object = ["type": "error", "error": ["type": "insufficient_quota", "code": "insufficient_quota", "message": "You exceeded your current quota.", "param": NSNull()]]
        let flatError: Fixtures.Object = ["type": "error", "code": "server_error", "message": "Sorry, something went wrong.", "param": NSNull()]
        let failed: Fixtures.Object = ["type": "response.failed", "response": ["id": "resp_1", "status": "failed", "error": ["code": "server_error", "message": "Sorry"], "output": []]]
        let failing = Fixtures.numbered(Array(events.prefix(2)) + [nestedError, failed])
        return [
            good("RESP-001", "response.created first", .events(events)),
            bad("RESP-001", "response.in_progress first", .events(Fixtures.numbered(Array(events.dropFirst())))),
            good("RESP-002", "one response id", .events(events)),
            bad("RESP-002", "the id changes at completion", .events(events.editing(-1) { $0["response"] = ["id": "resp_2", "status": "completed", "output": [Fixtures.doneItem()]] })),
            good("RESP-003", "rising sequence numbers", .events(events)),
            bad("RESP-003", "a sequence number repeated", .events(events.editing(3) { $0["sequence_number"] = 2 })),
            good("RESP-004", "0, 1, 2, …", .events(events)),
            bad("RESP-004", "starting at 1", .events(events.map { $0.merging(["sequence_number": ($0["sequence_number"] as! Int) + 1]) { $1 } })),
            good("RESP-005", "every call announced", .events(events)),
            bad("RESP-005", "progress for an unannounced call", .events(events.editing(imageAdded + 1) { $0["item_id"] = "ig_9" })),
            good("RESP-006", "distinct output indices", .events(events)),
            bad("RESP-006", "output_index 0 twice", .events(events.editing(imageAdded) { $0["output_index"] = 0 })),
            good("RESP-007", "done keeps the added identity", .events(events)),
            bad("RESP-007", "done with another id", .events(events.editing(imageDone) { $0["item"] = Fixtures.doneItem().merging(["id": "ig_2"]) { $1 } })),
            good("RESP-008", "previews before completion", .events(events)),
            bad("RESP-008", "a preview after the call completed", .events(Fixtures.numbered(events.editing(partial) { _ in }.enumerated().map { $0.offset == partial ? events[callCompleted] : $0.offset == callCompleted ? events[partial] : $0.element }))),
            good("RESP-009", "ends with response.completed", .events(events)),
            good("RESP-009", "ends with response.failed after an error", .events(failing)),
            bad("RESP-009", "ends after the image item", .events(Array(events.dropLast()))),
            good("RESP-010", "image_generation_call.completed sent", .events(events)),
            bad("RESP-010", "no image_generation_call.completed (a note: the live API sends none)", .events(Fixtures.responsesEvents(callCompleted: false))),
            good("RESP-011", "status completed with a result", .events(events)),
            good("RESP-011", "status generating with a result, as api.openai.com sends it", .events(Fixtures.responsesEvents(finalStatus: "generating"))),
            bad("RESP-011", "status in_progress at the end", .events(Fixtures.responsesEvents(finalStatus: "in_progress"))),
            bad("RESP-011", "completed without a result", .events(events.editing(imageDone) { $0["item"] = Fixtures.doneItem().merging(["result": NSNull()]) { $1 } })),
            good("RESP-012", "index 0 then 1", request: Fixtures.responsesRequest(partialImages: 2), .events(Fixtures.responsesEvents(partials: 2))),
            bad("RESP-012", "index 1 first", .events(events.editing(partial) { $0["partial_image_index"] = 1 })),
            good("RESP-013", "one preview for partial_images 1", .events(events)),
            good("RESP-013", "one preview with partial_images unset", request: Fixtures.responsesRequest(partialImages: nil), .events(events)),
            bad("RESP-013", "two previews for partial_images 1", .events(Fixtures.responsesEvents(partials: 2))),
            good("RESP-014", "every requested preview", .events(events)),
            bad("RESP-014", "one of three previews (a note)", request: Fixtures.responsesRequest(partialImages: 3), .events(events)),
            good("RESP-015", "Responses events and a message item", .events(Fixtures.numbered(events + [["type": "response.output_text.delta", "delta": "Here", "item_id": "msg_1", "output_index": 2, "content_index": 0]]).editing(-1) { _ in })),
            bad("RESP-015", "an Images API event in a Responses stream", .events(events.editing(partial) { $0["type"] = "image_generation.partial_image" })),
            good("RESP-016", "a nested error with a message", .events(failing)),
            good("RESP-016", "a flat error with a message", .events(Fixtures.numbered(Array(events.prefix(2)) + [flatError, failed]))),
            bad("RESP-016", "an error without a message", .events(Fixtures.numbered(Array(events.prefix(2)) + [["type": "error", "error": ["type": "server_error", "code": NSNull(), "param": NSNull()]], failed]))),
            good("RESP-017", "no error event", .events(events)),
            bad("RESP-017", "a nested error (noted)", .events(failing)),
            good("RESP-018", "response.failed with status and error", .events(failing)),
            bad("RESP-018", "response.failed without an error", .events(failing.editing(-1) { $0["response"] = ["id": "resp_1", "status": "failed", "output": []] })),
            good("RESP-019", "a documented error code", .events(failing)),
            bad("RESP-019", "an undocumented error code", .events(failing.editing(-1) { $0["response"] = ["id": "resp_1", "status": "failed", "error": ["code": "gpu_on_fire", "message": "Sorry"], "output": []] })),
            good("RESP-020", "resolved values echoed", request: Fixtures.responsesRequest().merging(["tools": [["type": "image_generation", "partial_images": 1, "size": "auto", "quality": "auto"]]]) { $1 }, .events(events)),
            bad("RESP-020", "webp echoed for png", .events(events.editing(partial) { $0["output_format"] = "webp" })),
            good("RESP-021", "the call listed in response.output", .events(events)),
            bad("RESP-021", "response.output without the call", .events(events.editing(-1) { $0["response"] = ["id": "resp_1", "status": "completed", "output": [["id": "rs_1", "type": "reasoning"]]] })),
            good("RESP-022", "one output_index per call", .events(events)),
            bad("RESP-022", "a partial image at another output_index", .events(events.editing(partial) { $0["output_index"] = 2 })),
            bad("RESP-022", "output_item.done at another output_index", .events(events.editing(imageDone) { $0["output_index"] = 3 })),
            good("RESP-023", "the call announced as an image_generation_call", .events(events)),
            bad("RESP-023", "the call announced as a message", .events(events.editing(imageAdded) { $0["item"] = ["id": "ig_1", "type": "message", "status": "in_progress"] })),
            good("RESP-024", "in_progress, then completed", .events(events)),
            bad("RESP-024", "response.created already completed", .events(events.editing(0) { $0["response"] = ["id": "resp_1", "status": "completed", "output": []] })),
            bad("RESP-024", "response.completed still in_progress", .events(events.editing(-1) { $0["response"] = ["id": "resp_1", "status": "in_progress", "output": [["id": "rs_1", "type": "reasoning"], Fixtures.doneItem()]] })),
            good("RESP-025", "response.completed keeps the result", .events(events)),
            bad("RESP-025", "response.completed lists the call with result null", .events(events.editing(-1) { $0["response"] = ["id": "resp_1", "status": "completed", "output": [["id": "rs_1", "type": "reasoning"], Fixtures.doneItem().merging(["result": NSNull()]) { $1 }]] })),
            good("RESP-026", "in_progress and generating before the image", .events(events)),
            bad("RESP-026", "no generating event", .events(Fixtures.numbered(events.filter { $0["type"] as? String != "response.image_generation_call.generating" }))),
            good("RESP-027", "a Response body with the image, \"error\": null, as real bodies have it", request: nonStreaming, .body(Fixtures.responseBody())),
            bad("RESP-027", "a body still in progress, its call without a result", request: nonStreaming, .body(Fixtures.responseBody().merging(["status": "in_progress", "output": [Fixtures.doneItem().merging(["result": NSNull()]) { $1 }]]) { $1 })),
            bad("RESP-027", "an error body where a Response was due", request: nonStreaming, .body(["error": ["message": "Sorry", "type": "server_error", "param": NSNull(), "code": NSNull()]])),
            good("ERR-001", "a Response's \"error\": null is not an error body", request: nonStreaming, .body(Fixtures.responseBody())),
            good("IMAGE-001", "a Response body's result decodes", request: nonStreaming, .body(Fixtures.responseBody())),
            bad("IMAGE-001", "a Response body's result is not base64", request: nonStreaming, .body(Fixtures.responseBody().merging(["output": [Fixtures.doneItem().merging(["result": "not*base64"]) { $1 }]]) { $1 })),
            good("RESP-020", "a Response body echoes what was asked", request: nonStreaming, .body(Fixtures.responseBody())),
            bad("RESP-020", "a Response body echoes webp for png", request: nonStreaming, .body(Fixtures.responseBody().merging(["output": [Fixtures.doneItem().merging(["output_format": "webp"]) { $1 }]]) { $1 })),
        ] + live
    }()

    /// What api.openai.com really sends conforms; a live stream that still breaks a rule is caught.
    static let live: [RuleCase] = {
        let surface = "responses"
        let request = Fixtures.liveRequest()
        let events = Fixtures.liveEvents()
        let partial = events.firstIndex { $0["type"] as? String == "response.image_generation_call.partial_image" }!
        let imageDone = events.firstIndex { $0["type"] as? String == "response.output_item.done" }!
        func bad(_ rule: String, _ name: String, _ response: RuleCase.Response) -> RuleCase {
            .violated(rule, name, surface: surface, request: request, response)
        }
        func good(_ rule: String, _ name: String, _ response: RuleCase.Response) -> RuleCase {
            .conformant(rule, name, surface: surface, request: request, response)
        }
        return [
            good("RESP-011", "live: the item left at status generating in output_item.done and response.completed", .events(events)),
            good("RESP-009", "live: ends with response.completed, no [DONE]", .events(events)),
            good("RESP-013", "live: one partial image though none was asked", .events(events)),
            good("RESP-021", "live: response.completed lists the generating call", .events(events)),
            good("RESP-015", "live: a message item's events around the image", .events(events)),
            good("SCHEMA-001", "live: extra fields (obfuscation, action, tool_usage, cache_write_tokens)", .events(events)),
            good("RESP-026", "live: in_progress and generating sent", .events(events)),
            bad("RESP-008", "live: a partial image after the finished item", .events(Fixtures.numbered(events.enumerated().map { $0.offset == partial ? events[imageDone] : $0.offset == imageDone ? events[partial] : $0.element }))),
            bad("IMAGE-001", "live: a result that does not decode", .events(events.editing(imageDone) { $0["item"] = ($0["item"] as! Fixtures.Object).merging(["result": "####"]) { $1 } })),
        ]
    }()
}

private extension ResponsesRuleCases {
    static var nonStreaming: Fixtures.Object {
        var request = Fixtures.responsesRequest()
        request["stream"] = nil
        return request
    }
}
