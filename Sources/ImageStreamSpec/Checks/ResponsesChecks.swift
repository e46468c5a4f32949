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
                guard let item = event.json?["item"], item["type"]?.string == imageCallType, let id = item["id"]?.string,
                      !completed.contains(id) else { return nil }
                return Violation(.event(index: event.index), "image call \(id) is done without a response.image_generation_call.completed before it", expected: "response.image_generation_call.completed", actual: "none")
            }
        },
        Check("responses-final-item-status") { context in
            let allowed = context.spec.settings.finalItemStatuses
            return context.events(playing: .itemDone).compactMap { event in
                guard let item = event.json?["item"], item["type"]?.string == imageCallType else { return nil }
                let status = item["status"]?.string ?? "none"
                if status == "failed" { return nil } // a failure is reported by the error rules
                if !allowed.contains(status) {
                    return Violation(.event(index: event.index), "the finished image call has status \(status), which the \(context.spec.dialect) dialect does not allow", expected: allowed.joined(separator: " or "), actual: status)
                }
                if !hasResult(item) {
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
                guard let item = event.json?["item"], item["type"]?.string == imageCallType, let id = item["id"]?.string,
                      !listed.contains(id) else { return nil }
                return Violation(.event(index: completed.index), "response.completed's output does not list image call \(id)", expected: "\(id) in response.output", actual: "absent")
            }
        },
        Check("responses-output-index-stable") { context in
            var announced: [String: Int] = [:]
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                guard let json = event.json, let index = json["output_index"]?.integer else { continue }
                let role = context.role(of: event)
                switch role {
                case .itemAdded:
                    if let id = json["item"]?["id"]?.string { announced[id] = index }
                case .callInProgress, .callGenerating, .callPartialImage, .callCompleted, .itemDone:
                    let id = role == .itemDone ? json["item"]?["id"]?.string : json["item_id"]?.string
                    guard let id, let first = announced[id], first != index else { continue }
                    violations.append(Violation(.event(index: event.index), "\(event.type ?? "") of \(id) says output_index \(index), but output_item.added announced it at \(first)", expected: "\(first)", actual: "\(index)"))
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-call-item-type") { context in
            var types: [String: String] = [:]
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                switch context.role(of: event) {
                case .itemAdded:
                    if let id = event.json?["item"]?["id"]?.string { types[id] = event.json?["item"]?["type"]?.string ?? "untyped" }
                case .callInProgress, .callGenerating, .callPartialImage, .callCompleted:
                    guard let id = event.json?["item_id"]?.string, let type = types[id], type != imageCallType else { continue }
                    violations.append(Violation(.event(index: event.index), "\(event.type ?? "") names \(id), which output_item.added announced as \(type)", expected: imageCallType, actual: type))
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-lifecycle-status") { context in
            let wanted: [EventRole: Set<String>] = [
                .responseCreated: ["in_progress", "queued"], .responseInProgress: ["in_progress", "queued"],
                .responseCompleted: ["completed"], .responseIncomplete: ["incomplete"],
            ]
            return context.trace.jsonEvents.compactMap { event in
                guard let role = context.role(of: event), let allowed = wanted[role] else { return nil }
                let status = event.json?["response"]?["status"]?.string ?? "none"
                guard !allowed.contains(status) else { return nil }
                return Violation(.event(index: event.index), "\(event.type ?? "") carries response.status \(status)", expected: allowed.sorted().joined(separator: " or "), actual: status)
            }
        },
        Check("responses-completed-keeps-result") { context in
            guard let completed = context.events(playing: .responseCompleted).last else { return [] }
            let listed = Dictionary((completed.json?["response"]?["output"]?.array ?? []).compactMap { item in item["id"]?.string.map { ($0, item) } }, uniquingKeysWith: { first, _ in first })
            return context.events(playing: .itemDone).compactMap { event in
                guard let item = event.json?["item"], item["type"]?.string == imageCallType, let id = item["id"]?.string,
                      hasResult(item), let copy = listed[id], !hasResult(copy) else { return nil }
                return Violation(.event(index: completed.index), "response.completed lists image call \(id) with result \(copy["result"].map { $0 == .null ? "null" : "empty" } ?? "missing"), though output_item.done carried the image", expected: "the result output_item.done carried", actual: copy["result"]?.typeName ?? "absent")
            }
        },
        Check("responses-call-progress-sent") { context in
            var seen: [String: Set<EventRole>] = [:]
            var reported: Set<String> = []
            var violations: [Violation] = []
            for event in context.trace.jsonEvents {
                let role = context.role(of: event)
                switch role {
                case .callInProgress, .callGenerating:
                    if let id = event.json?["item_id"]?.string, let role { seen[id, default: []].insert(role) }
                case .callPartialImage, .itemDone:
                    let id = role == .itemDone ? event.json?["item"]?["type"]?.string == imageCallType ? event.json?["item"]?["id"]?.string : nil : event.json?["item_id"]?.string
                    guard let id, !reported.contains(id) else { continue }
                    let missing = [EventRole.callInProgress, .callGenerating].filter { !(seen[id]?.contains($0) ?? false) }
                    guard !missing.isEmpty else { continue }
                    reported.insert(id)
                    let names = missing.compactMap { context.spec.eventType(playing: $0) }.joined(separator: " and ")
                    violations.append(Violation(.event(index: event.index), "image call \(id) reaches \(event.type ?? "") without \(names) before it", expected: names, actual: "none"))
                default:
                    break
                }
            }
            return violations
        },
        Check("responses-body-is-response") { context in
            guard !context.trace.isStream, let body = context.trace.body else { return [] }
            if body.isErrorBody {
                guard context.request?.isStreaming != true else { return [] }
                return [Violation(.body, "the body is an error body, not a Response", expected: "a Response with output", actual: "an error body")]
            }
            guard body.object != nil else { return [] } // WIRE-002 says what it is
            var violations: [Violation] = []
            if body["id"]?.string == nil {
                violations.append(Violation(.body, "the Response has no id", expected: "id: resp_…", actual: "none"))
            }
            let status = body["status"]?.string ?? "none"
            if status != "completed" {
                violations.append(Violation(.body, "the Response has status \(status)", expected: "completed", actual: status))
            }
            guard let output = body["output"]?.array else {
                return violations + [Violation(.body, "the Response has no output array", expected: "output: [{type: image_generation_call, result}]", actual: "none")]
            }
            let calls = output.enumerated().filter { $0.element["type"]?.string == imageCallType }
            if calls.isEmpty {
                violations.append(Violation(.body, "output lists no image_generation_call", expected: imageCallType, actual: output.compactMap { $0["type"]?.string }.joined(separator: ", ")))
            }
            let allowed = context.spec.settings.finalItemStatuses
            for (index, call) in calls {
                let callStatus = call["status"]?.string ?? "none"
                if callStatus == "failed" { continue }
                if !allowed.contains(callStatus) {
                    violations.append(Violation(.body, "output[\(index)] has status \(callStatus)", expected: allowed.joined(separator: " or "), actual: callStatus))
                }
                if !hasResult(call) {
                    violations.append(Violation(.body, "output[\(index)] has no result", expected: "result: base64 image", actual: call["result"]?.typeName ?? "absent"))
                }
            }
            return violations
        },
    ]

    /// The output item type of an image call.
    static let imageCallType = "image_generation_call"

    /// Whether an item carries a non-empty `result`.
    static func hasResult(_ item: JSONValue) -> Bool {
        item["result"]?.string.map { !$0.isEmpty } ?? false
    }
}
