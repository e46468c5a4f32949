import SSEWire

/// How the response is framed: complete events, JSON data, event lines, sentinels, encoding.
enum WireChecks {
    static let all: [Check] = [
        Check("stream-complete") { context in
            guard context.trace.isStream, case .midEvent(let block) = context.trace.streamEnd else { return [] }
            let what = block.heldData ? "an event with data" : "\(block.byteRange.count) bytes"
            return [Violation(.stream, "the stream ended mid-event: \(what) at bytes \(block.byteRange.lowerBound)–\(block.byteRange.upperBound) had no closing blank line and is lost", expected: "a blank line after the last event", actual: "end of input")]
        },
        Check("data-is-json-object") { context in
            if !context.trace.isStream {
                guard let error = context.trace.bodyError else {
                    return context.trace.body?.object == nil ? [Violation(.body, "the body is JSON but not an object", expected: "object", actual: context.trace.body?.typeName)] : []
                }
                return [Violation(.body, "the body is not JSON: \(error)", expected: "a JSON object")]
            }
            return context.trace.events.compactMap { event in
                if event.isDone { return nil }
                if let error = event.jsonError {
                    return Violation(.event(index: event.index), "data is not JSON: \(error)", expected: "one JSON object", actual: preview(event.event.data))
                }
                if event.json?.object == nil {
                    return Violation(.event(index: event.index), "data is JSON but not an object", expected: "object", actual: event.json?.typeName)
                }
                return nil
            }
        },
        Check("event-field-matches-type") { context in
            context.trace.jsonEvents.compactMap { event in
                guard !event.event.eventField.isEmpty, let type = event.type, type != event.event.eventField else { return nil }
                return Violation(.event(index: event.index), "the event line says \(event.event.eventField) but the JSON type is \(type)", expected: type, actual: event.event.eventField)
            }
        },
        Check("event-field-present") { context in
            guard context.spec.settings.eventField == .documented else { return [] }
            let missing = context.trace.jsonEvents.filter { $0.event.eventField.isEmpty && $0.type != nil }
            guard let first = missing.first else { return [] }
            return [Violation(.event(index: first.index), "\(missing.count) of \(context.trace.jsonEvents.count) events have no event line (first: event \(first.index))", expected: "event: \(first.type ?? "")", actual: "no event line")]
        },
        Check("done-sentinel-documented") { context in
            guard context.spec.settings.doneSentinel == .undocumented, let index = context.trace.doneIndex else { return [] }
            return [Violation(.event(index: index), "the stream sends data: [DONE], which \(context.spec.surface) does not document (the Node SDK needs it exact; the Python SDK stops at any data starting with it)", actual: "[DONE]")]
        },
        Check("nothing-after-done") { context in
            guard let index = context.trace.doneIndex, index < context.trace.events.count - 1 else { return [] }
            let lost = context.trace.events.count - 1 - index
            return [Violation(.event(index: index + 1), "\(lost) event\(lost == 1 ? "" : "s") after data: [DONE]; the Python SDK never reads \(lost == 1 ? "it" : "them")", expected: "end of stream after [DONE]", actual: "event \(index + 1)")]
        },
        Check("no-id-or-retry") { context in
            guard let event = context.trace.events.first(where: { !$0.event.lastEventID.isEmpty || $0.event.retry != nil }) else { return [] }
            let field = event.event.retry != nil ? "retry: \(event.event.retry!)" : "id: \(event.event.lastEventID)"
            return [Violation(.event(index: event.index), "the stream sends \(field); after an id, a blank line alone makes the Python SDK dispatch an empty event and fail on json.loads(\"\")", actual: field)]
        },
        Check("strict-utf8-without-bom") { context in
            guard context.trace.isStream else { return [] }
            var violations: [Violation] = []
            if context.trace.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                violations.append(Violation(.stream, "the stream starts with a UTF-8 BOM; the Python SDK keeps it, reads the first field name as \\u{FEFF}data and loses the first event", expected: "no BOM", actual: "EF BB BF"))
            }
            if let offset = firstInvalidUTF8(in: context.trace.bytes) {
                violations.append(Violation(.stream, "invalid UTF-8 at byte \(offset); the Python SDK decodes lines strictly and raises UnicodeDecodeError", expected: "valid UTF-8", actual: "byte 0x\(String(context.trace.bytes[offset], radix: 16, uppercase: true))"))
            }
            return violations
        },
        Check("response-kind-matches-request") { context in
            guard let streaming = context.request?.isStreaming else { return [] }
            let answersWithBody = context.spec.settings.streamRequests == .jsonBody
            if streaming, answersWithBody, context.trace.isStream {
                return [Violation(.stream, "the request asked for a stream and got one, but the \(context.spec.dialect) dialect answers stream requests with one JSON body", expected: "a JSON body", actual: "an event stream")]
            }
            if streaming, !answersWithBody, !context.trace.isStream, context.errorBody == nil {
                return [Violation(.body, "the request asked for a stream (stream: true) and got a JSON body; the SDKs then yield no events and no error", expected: "an event stream", actual: "a JSON body")]
            }
            if !streaming, context.trace.isStream {
                return [Violation(.stream, "the request did not ask for a stream and got one; the SDKs then return the raw text", expected: "a JSON body", actual: "an event stream")]
            }
            return []
        },
        Check("response-not-empty") { context in
            if context.trace.bytes.isEmpty { return [Violation(.stream, "the response is empty", expected: "events or a JSON body", actual: "0 bytes")] }
            if context.trace.isStream, context.trace.events.isEmpty {
                return [Violation(.stream, "the stream has \(context.trace.bytes.count) bytes but not one event", expected: "at least one event", actual: "no events")]
            }
            return []
        },
    ]

    static func preview(_ text: String, limit: Int = 60) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// The offset of the first byte that is not part of valid UTF-8, if any.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            let sequence = Array(bytes[index..<(index + length)])
            var decoder = UTF8()
            var iterator = sequence.makeIterator()
            guard case .scalarValue = decoder.decode(&iterator) else { return index }
            index += length
        }
        return nil
    }
}
