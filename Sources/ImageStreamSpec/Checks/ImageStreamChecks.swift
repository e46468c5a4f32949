import Foundation

/// The Images API's streams and bodies: event types, partial images, the final image, echoes.
enum ImageStreamChecks {
    static let all: [Check] = [
        Check("event-types-belong") { context in
            context.trace.events.compactMap { event in
                guard !event.isDone, let json = event.json, json.object != nil else { return nil }
                guard let type = event.type else {
                    return Violation(.event(index: event.index), "the event's JSON has no type field", expected: "a type", actual: "none")
                }
                if context.spec.events[type] != nil || context.spec.otherEvents.contains(type) { return nil }
                if context.spec.isResponses, type.hasPrefix("response.") { return nil }
                let known = context.spec.events.keys.sorted().joined(separator: ", ")
                return Violation(.event(index: event.index), "\(type) is not an event of \(context.spec.surface)\(foreignSurfaceHint(type))", expected: known, actual: type)
            }
        },
        Check("partial-index-order") { context in
            partialsByCall(context).flatMap { call, partials -> [Violation] in
                var expected = 0
                var violations: [Violation] = []
                for event in partials {
                    guard let index = event.json?["partial_image_index"]?.integer else { continue }
                    if index != expected {
                        let why = index < expected ? "repeats or goes back" : "skips"
                        violations.append(Violation(.event(index: event.index), "partial_image_index \(index)\(call.map { " of \($0)" } ?? "") \(why): expected \(expected)", expected: "\(expected)", actual: "\(index)"))
                    }
                    expected = max(expected, index + 1)
                }
                return violations
            }
        },
        Check("partial-count-at-most-requested") { context in
            guard let requested = requestedPartials(context) else { return [] }
            return partialsByCall(context).compactMap { call, partials in
                guard partials.count > requested, let extra = partials.dropFirst(requested).first else { return nil }
                return Violation(.event(index: extra.index), "\(partials.count) partial images\(call.map { " for \($0)" } ?? ""); the request asked for at most \(requested)", expected: "≤ \(requested)", actual: "\(partials.count)")
            }
        },
        Check("partial-count-fewer") { context in
            guard let requested = requestedPartials(context), context.trace.isStream else { return [] }
            let calls = partialsByCall(context)
            let counts = calls.isEmpty ? [(nil as String?, 0)] : calls.map { ($0.0, $0.1.count) }
            return counts.compactMap { call, count in
                guard count < requested else { return nil }
                return Violation(.stream, "\(count) of \(requested) requested partial images\(call.map { " for \($0)" } ?? "") arrived (allowed: the final image may come first)", expected: "\(requested)", actual: "\(count)")
            }
        },
        Check("completed-once-and-last") { context in
            guard context.trace.isStream else { return [] }
            let completed = context.events(playing: .completed)
            let finalType = context.spec.eventType(playing: .completed) ?? "completed"
            guard let first = completed.first else {
                return [Violation(.stream, "no \(finalType) event: the stream ended without its final image", expected: finalType, actual: "none")]
            }
            var violations: [Violation] = []
            if completed.count > 1 {
                violations.append(Violation(.event(index: completed[1].index), "\(completed.count) \(finalType) events; there must be one", expected: "1", actual: "\(completed.count)"))
            }
            if let after = context.trace.jsonEvents.first(where: { $0.index > first.index }) {
                violations.append(Violation(.event(index: after.index), "\(after.type ?? "an event") comes after \(finalType)", expected: "\(finalType) last", actual: after.type))
            }
            return violations
        },
        Check("echo-matches-request") { context in
            guard let request = context.request else { return [] }
            var echoes: [(Finding.Location, JSONValue)] = []
            for event in context.trace.jsonEvents {
                guard let role = context.role(of: event), let json = event.json else { continue }
                switch role {
                case .partial, .completed, .callPartialImage: echoes.append((.event(index: event.index), json))
                case .itemDone where json["item"]?["type"]?.string == ResponsesChecks.imageCallType: echoes.append((.event(index: event.index), json["item"]!))
                default: break
                }
            }
            if context.spec.isResponses, let output = context.imagesBody?["output"]?.array {
                echoes += output.filter { $0["type"]?.string == ResponsesChecks.imageCallType }.map { (.body, $0) }
            }
            var violations: [Violation] = []
            for (location, echoed) in echoes {
                for setting in ["size", "quality", "output_format", "background"] {
                    guard let actual = echoed[setting]?.string else { continue }
                    let asked = request.setting(setting) ?? defaultSetting[setting]
                    guard let asked, asked != "auto", actual != asked else { continue }
                    if setting == "size", context.spec.settings.ignoresSize { continue }
                    violations.append(Violation(location, "\(setting) is echoed as \(actual), but the request asked for \(asked)", expected: asked, actual: actual))
                }
            }
            return violations
        },
        Check("body-has-images") { context in
            guard let body = context.imagesBody else { return [] }
            guard let data = body["data"]?.array else {
                return [Violation(.body, "the body has no data array of images", expected: "data: [{b64_json | url}]", actual: "no data")]
            }
            var violations: [Violation] = []
            let expected = context.request?.imageCount ?? max(1, data.count)
            if data.count != expected {
                violations.append(Violation(.body, "data has \(data.count) image\(data.count == 1 ? "" : "s"); \(expected) \(expected == 1 ? "was" : "were") asked for", expected: "\(expected)", actual: "\(data.count)"))
            }
            for (index, item) in data.enumerated() where item["b64_json"]?.string == nil && item["url"]?.string == nil {
                violations.append(Violation(.body, "data[\(index)] has neither b64_json nor url", expected: "b64_json or url", actual: item.object.map { $0.keys.sorted().joined(separator: ", ") } ?? item.typeName))
            }
            return violations
        },
        Check("body-response-format") { context in
            guard let data = context.imagesBody?["data"]?.array else { return [] }
            let asked = context.request?.fields["response_format"]?.string ?? context.spec.settings.defaultResponseFormat
            var violations: [Violation] = []
            for (index, item) in data.enumerated() {
                let url = item["url"]?.string
                if asked == "url", url == nil {
                    violations.append(Violation(.body, "data[\(index)] has no url, though response_format url was \(context.request?.fields["response_format"] == nil ? "the default" : "asked for")", expected: "url", actual: item["b64_json"] != nil ? "b64_json" : "neither"))
                }
                if asked == "b64_json", item["b64_json"]?.string == nil {
                    violations.append(Violation(.body, "data[\(index)] has no b64_json, though response_format b64_json was \(context.request?.fields["response_format"] == nil ? "the default" : "asked for")", expected: "b64_json", actual: url != nil ? "url" : "neither"))
                }
                if let url, !isWebAddress(url) {
                    violations.append(Violation(.body, "data[\(index)].url is not an http(s) address a client can fetch", expected: "https://…", actual: WireChecks.preview(url, limit: 40)))
                }
            }
            return violations
        },
    ]

    /// An absolute http or https URL with a host.
    static func isWebAddress(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && !(components.host ?? "").isEmpty
    }

    /// The documented default of each echoed setting, when the request leaves it out.
    static let defaultSetting: [String: String] = ["size": "auto", "quality": "auto", "output_format": "png", "background": "auto"]

    /// How many partial images the request asked for. Nil when there is no request, or when a
    /// Responses tool does not say (a stream may then still send one).
    static func requestedPartials(_ context: CheckContext) -> Int? {
        guard let request = context.request else { return nil }
        if context.spec.isResponses, request.imageTool?["partial_images"] == nil { return nil }
        return request.partialImages
    }

    /// Partial-image events, grouped by image call (one group, keyed nil, on the Images API).
    static func partialsByCall(_ context: CheckContext) -> [(String?, [ResponseTrace.TraceEvent])] {
        let partials = context.trace.jsonEvents.filter { context.role(of: $0)?.isPartialImage == true }
        guard context.spec.isResponses else { return partials.isEmpty ? [] : [(nil, partials)] }
        var order: [String] = []
        var groups: [String: [ResponseTrace.TraceEvent]] = [:]
        for event in partials {
            let call = event.json?["item_id"]?.string ?? "?"
            if groups[call] == nil { order.append(call) }
            groups[call, default: []].append(event)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    private static func foreignSurfaceHint(_ type: String) -> String {
        if type.hasPrefix("image_generation.") { return " (it is an images.generate event)" }
        if type.hasPrefix("image_edit.") { return " (it is an images.edit event)" }
        if type.hasPrefix("response.") { return " (it is a Responses API event)" }
        return ""
    }
}
