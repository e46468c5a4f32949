/// The Responses API's lifecycle: order, identity, sequence numbers, image calls, errors.
enum ResponsesChecks {
    static let responseRoles: Set<EventRole> = [.responseCreated, .responseInProgress, .responseCompleted, .responseFailed, .responseIncomplete]

    /// The documented ResponseError codes (spec-facts §4.2).
    static let errorCodes: Set<String> = [
        "server_error", "rate_limit_exceeded", "invalid_prompt", "data_residency_mismatch", "bio_policy", "vector_store_timeout",
        "invalid_image", "invalid_image_format", "invalid_base64_image", "invalid_image_url", "image_too_large", "image_too_small",
        "image_parse_error", "image_content_policy_violation", "invalid_image_mode", "image_file_too_large",
        "unsupported_image_media_type", "empty_image_file", "failed_to_download_image", "image_file_not_found",
        "misalignment_policy_violation",
    ]

    static let all: [Check] = [
        Check("responses-created-first") { context in
            guard let first = context.trace.jsonEvents.first, context.role(of: first) != .responseCreated else { return [] }
            return [Violation(.event(index: first.index), "the first event is \(first.type ?? "untyped"), not response.created; responses.stream() raises here", expected: "response.created", actual: first.type)]
        },
        Check("responses-id-constant") { context in
            var firstID: String?
            var violations: [Violation] = []
            for event in context.trace.jsonEvents where context.role(of: event).map(responseRoles.contains) == true {
                guard let id = event.json?["response"]?["id"]?.string else { continue }
                if let firstID, id != firstID {
                    violations.append(Violation(.event(index: event.index), "response.id changes from \(firstID) to \(id)", expected: firstID, actual: id))
                }
                firstID = firstID ?? id
            }
            return violations
        },
        Check("responses-sequence-increasing") { context in
            var previous: Int?
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                guard let number = event.json?["sequence_number"]?.integer else { continue }
                if let previous, number <= previous {
                    violations.append(Violation(.event(index: event.index), "sequence_number \(number) does not increase (previous \(previous))", expected: "> \(previous)", actual: "\(number)"))
                }
                previous = number
            }
            return violations
        },
        Check("responses-sequence-contiguous") { context in
            var expected = 0
            for event in context.trace.jsonEvents {
                guard let number = event.json?["sequence_number"]?.integer else { continue }
                if number != expected {
                    return [Violation(.event(index: event.index), "sequence_number \(number) where \(expected) was next", expected: "\(expected)", actual: "\(number)")]
                }
                expected += 1
            }
            return []
        },
        Check("responses-items-announced") { context in
            var announced: Set<String> = []
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                switch context.role(of: event) {
                case .itemAdded:
                    if let id = event.json?["item"]?["id"]?.string { announced.insert(id) }
                case .callInProgress, .callGenerating, .callPartialImage, .callCompleted:
                    if let id = event.json?["item_id"]?.string, !announced.contains(id) {
                        violations.append(Violation(.event(index: event.index), "\(event.type ?? "") names item \(id), which no response.output_item.added announced before", expected: "output_item.added for \(id) first", actual: id))
                    }
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-output-index-unique") { context in
            var seen: Set<Int> = []
            return context.events(playing: .itemAdded).compactMap { event in
                guard let index = event.json?["output_index"]?.integer else { return nil }
                guard seen.insert(index).inserted else {
                    return Violation(.event(index: event.index), "output_index \(index) is announced twice", expected: "a new output_index", actual: "\(index)")
                }
                return nil
            }
        },
        Check("responses-done-matches-added") { context in
            var added: [Int: (type: String?, id: String?)] = [:]
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                guard let json = event.json, let index = json["output_index"]?.integer else { continue }
                let identity = (type: json["item"]?["type"]?.string, id: json["item"]?["id"]?.string)
                switch context.role(of: event) {
                case .itemAdded:
                    added[index] = identity
                case .itemDone:
                    if let before = added[index], before.type != identity.type || before.id != identity.id {
                        violations.append(Violation(.event(index: event.index), "output_item.done at output_index \(index) is \(identity.type ?? "?") \(identity.id ?? "?"), but \(before.type ?? "?") \(before.id ?? "?") was added there", expected: "\(before.type ?? "?") \(before.id ?? "?")", actual: "\(identity.type ?? "?") \(identity.id ?? "?")"))
                    }
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-partials-before-done") { context in
            var finished: Set<String> = []
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                switch context.role(of: event) {
                case .callCompleted:
                    if let id = event.json?["item_id"]?.string { finished.insert(id) }
                case .itemDone:
                    if let id = event.json?["item"]?["id"]?.string { finished.insert(id) }
                case .callPartialImage:
                    if let id = event.json?["item_id"]?.string, finished.contains(id) {
                        violations.append(Violation(.event(index: event.index), "a partial image of \(id) arrives after the call finished", expected: "partials before completion", actual: "partial after completion"))
                    }
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-terminal-last") { context in
            guard context.trace.isStream else { return [] }
            guard let last = context.trace.jsonEvents.last else { return [] }
            guard context.role(of: last)?.isTerminal != true else { return [] }
            return [Violation(.event(index: last.index), "the stream ends with \(last.type ?? "an untyped event"), not response.completed (or failed, incomplete, error): the final response never arrives", expected: "response.completed", actual: last.type)]
        },
        Check("responses-call-completed-sent") { context in
            let completed = Set(context.events(playing: .callCompleted).compactMap { $0.json?["item_id"]?.string })
            return context.events(playing: .itemDone).compactMap { event in
                guard let item = event.json?["item"], item["type"]?.string == "image_generation_call", let id = item["id"]?.string,
                      !completed.contains(id) else { return nil }
                return Violation(.event(index: event.index), "image call \(id) is done without a response.image_generation_call.completed before it", expected: "response.image_generation_call.completed", actual: "none")
            }
        },
        Check("responses-final-item-status") { context in
            let allowed = context.spec.settings.finalItemStatuses
            return context.events(playing: .itemDone).compactMap { event in
                guard let item = event.json?["item"], item["type"]?.string == "image_generation_call" else { return nil }
                let status = item["status"]?.string ?? "none"
                let hasResult = item["result"]?.string.map { !$0.isEmpty } ?? false
                if status == "failed" { return nil } // a failure is reported by the error rules
                if !allowed.contains(status) {
                    return Violation(.event(index: event.index), "the finished image call has status \(status)\(status == "generating" ? " (Azure's way; --dialect azure accepts it)" : "")", expected: allowed.joined(separator: " or "), actual: status)
                }
                if !hasResult {
                    return Violation(.event(index: event.index), "the finished image call has no result", expected: "result: base64 image", actual: "none")
                }
                return nil
            }
        },
        Check("responses-error-message") { context in
            context.events(playing: .error).compactMap { event in
                let flat = event.json?["message"]?.string
                let nested = event.json?["error"]?["message"]?.string
                guard (flat ?? nested ?? "").isEmpty else { return nil }
                return Violation(.event(index: event.index), "the error event has no message, flat or nested in error", expected: "message or error.message", actual: "none")
            }
        },
        Check("responses-error-shape") { context in
            context.events(playing: .error).map { event in
                let nested = event.json?["error"]?.object != nil
                return nested
                    ? Violation(.event(index: event.index), "the error event is nested ({type:error, error:{…}}), as OpenAI really sends it; the Python SDK raises APIError here and never yields the response.failed after it", expected: "either shape", actual: "nested")
                    : Violation(.event(index: event.index), "the error event is flat ({type:error, message, code, param}), as documented; the Python SDK yields it as an event and does not raise", expected: "either shape", actual: "flat")
            }
        },
        Check("responses-failed-shape") { context in
            context.events(playing: .responseFailed).compactMap { event in
                let response = event.json?["response"]
                let status = response?["status"]?.string
                let error = response?["error"]
                guard status != "failed" || error?["message"]?.string == nil || error?["code"] == nil else { return nil }
                return Violation(.event(index: event.index), "response.failed needs response.status failed and response.error with code and message", expected: "status failed, error {code, message}", actual: "status \(status ?? "none"), error \(error.map { $0.object.map { $0.keys.sorted().joined(separator: ", ") } ?? $0.typeName } ?? "none")")
            }
        },
        Check("responses-error-code-known") { context in
            context.events(playing: .responseFailed).compactMap { event in
                guard let code = event.json?["response"]?["error"]?["code"]?.string, !errorCodes.contains(code) else { return nil }
                return Violation(.event(index: event.index), "response.error.code \(code) is not a documented ResponseError code", expected: "a ResponseError code", actual: code)
            }
        },
        Check("responses-completed-lists-calls") { context in
            guard let completed = context.events(playing: .responseCompleted).last else { return [] }
            let listed = Set((completed.json?["response"]?["output"]?.array ?? []).compactMap { $0["id"]?.string })
            return context.events(playing: .itemDone).compactMap { event in
                guard let item = event.json?["item"], item["type"]?.string == "image_generation_call", let id = item["id"]?.string,
                      !listed.contains(id) else { return nil }
                return Violation(.event(index: completed.index), "response.completed's output does not list image call \(id)", expected: "\(id) in response.output", actual: "absent")
            }
        },
    ]
}
