import Cassette

/// The differences between a cassette and a new recording of its request, at the level of the
/// event grammar, most serious first.
public enum DriftComparison {
    public static func differences(cassette: Cassette, upstream: Cassette) -> [DriftDifference] {
        differences(StreamGrammar(cassette), StreamGrammar(upstream), cassetteHeaders: cassette.response.headers, upstreamHeaders: upstream.response.headers)
    }

    /// Headers that differ on every call or with every proxy, never reported.
    static let volatileHeaders: Set<String> = ["date", "content-length", "transfer-encoding", "connection", "keep-alive", "server", "x-request-id",
                                               "openai-processing-ms", "cf-ray", "set-cookie", "x-job-id", "alt-svc", "via", "age", "etag", "req-cost-time", "apim-request-id"]

    static func differences(_ old: StreamGrammar, _ new: StreamGrammar, cassetteHeaders: [Header] = [], upstreamHeaders: [Header] = []) -> [DriftDifference] {
        var found: [DriftDifference] = []
        func add(_ kind: String, _ place: String, _ cassette: String, _ upstream: String) {
            found.append(.make(kind, place, cassette: cassette, upstream: upstream))
        }
        if old.status != new.status { add("DRIFT-STATUS", "response", String(old.status), String(new.status)) }
        if old.ending != new.ending { add("DRIFT-ENDING", "response", old.ending, new.ending) }
        // Another kind of body (an error where a stream was): its events and fields are not comparable.
        if old.bodyKind != new.bodyKind {
            add("DRIFT-BODY-KIND", "response", old.bodyKind, new.bodyKind + (new.errorMessage.map { ": \($0)" } ?? ""))
            return found
        }
        if old.hasDoneSentinel && !new.hasDoneSentinel { add("DRIFT-DONE-GONE", "response", "data: [DONE]", "no [DONE]") }
        if !old.hasDoneSentinel && new.hasDoneSentinel { add("DRIFT-DONE-ADDED", "response", "no [DONE]", "data: [DONE]") }

        let oldTypes = Set(old.eventTypes), newTypes = Set(new.eventTypes)
        for type in ordered(oldTypes.subtracting(newTypes), as: old.eventTypes) { add("DRIFT-EVENT-GONE", type, "sent \(count(type, in: old.eventTypes))×", "not sent") }
        for type in ordered(newTypes.subtracting(oldTypes), as: new.eventTypes) { add("DRIFT-EVENT-ADDED", type, "not sent", "sent \(count(type, in: new.eventTypes))×") }
        let common = ordered(oldTypes.intersection(newTypes), as: old.eventTypes)
        let oldOrder = firstOccurrences(old.eventTypes).filter(newTypes.contains), newOrder = firstOccurrences(new.eventTypes).filter(oldTypes.contains)
        if oldOrder != newOrder { add("DRIFT-ORDER", "events", oldOrder.joined(separator: " → "), newOrder.joined(separator: " → ")) }
        for type in common where count(type, in: old.eventTypes) != count(type, in: new.eventTypes) {
            add("DRIFT-COUNT", type, "\(count(type, in: old.eventTypes))×", "\(count(type, in: new.eventTypes))×")
        }

        // Fields, per event type both have (and the JSON body as type `body`).
        for type in common + (old.fields["body"] != nil && new.fields["body"] != nil ? ["body"] : []) {
            let before = old.fields[type] ?? [:], after = new.fields[type] ?? [:]
            for path in before.keys.sorted() {
                guard let kind = after[path] else {
                    // Only the topmost field that is gone, not everything below it.
                    if parent(of: path).map({ after[$0] != nil }) ?? true { add("DRIFT-FIELD-GONE", "\(type) \(path)", before[path]!, "absent") }
                    continue
                }
                if kind != before[path]!, Set([kind, before[path]!]) != ["integer", "number"] {
                    add("DRIFT-FIELD-KIND", "\(type) \(path)", before[path]!, kind)
                }
            }
            for path in after.keys.sorted() where before[path] == nil {
                if parent(of: path).map({ before[$0] != nil }) ?? true { add("DRIFT-FIELD-ADDED", "\(type) \(path)", "absent", after[path]!) }
            }
            compareValues(old.statusValues[type], new.statusValues[type], type: type, kind: "DRIFT-STATUS-VALUE", add: add)
            compareValues(old.echoes[type], new.echoes[type], type: type, kind: "DRIFT-ECHO", add: add)
            for (path, images) in (old.images[type] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let newImages = new.images[type]?[path], newImages != images else { continue }
                let formats = Set(images.map { $0.split(separator: " ")[0] }), newFormats = Set(newImages.map { $0.split(separator: " ")[0] })
                add(formats == newFormats ? "DRIFT-IMAGE-SIZE" : "DRIFT-IMAGE-FORMAT", "\(type) \(path)", images.sorted().joined(separator: ", "), newImages.sorted().joined(separator: ", "))
            }
        }

        let oldHeaders = headerMap(cassetteHeaders), newHeaders = headerMap(upstreamHeaders)
        for name in Set(oldHeaders.keys).union(newHeaders.keys).sorted() where name != "content-type" && oldHeaders[name] != newHeaders[name] {
            if oldHeaders[name] == nil || newHeaders[name] == nil {
                add("DRIFT-HEADER", "header \(name)", oldHeaders[name] ?? "absent", newHeaders[name] ?? "absent")
            }
        }
        return found.enumerated().sorted { a, b in a.element.grade != b.element.grade ? a.element.grade < b.element.grade : a.offset < b.offset }.map(\.element)
    }

    private static func compareValues(_ old: [String: Set<String>]?, _ new: [String: Set<String>]?, type: String, kind: String, add: (String, String, String, String) -> Void) {
        for (path, values) in (old ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let newValues = new?[path], newValues != values else { continue }
            add(kind, "\(type) \(path)", values.sorted().joined(separator: ", "), newValues.sorted().joined(separator: ", "))
        }
    }

    private static func headerMap(_ headers: [Header]) -> [String: String] {
        var map: [String: String] = [:]
        for header in headers where !volatileHeaders.contains(header.name.lowercased()) { map[header.name.lowercased()] = header.value }
        return map
    }

    /// `output[].status` → `output[]` → `output`; nil at the top.
    static func parent(of path: String) -> String? {
        if path.hasSuffix("[]") { return String(path.dropLast(2)) }
        guard let dot = path.lastIndex(of: ".") else { return nil }
        return String(path[..<dot])
    }

    private static func count(_ type: String, in types: [String]) -> Int { types.filter { $0 == type }.count }

    private static func firstOccurrences(_ types: [String]) -> [String] {
        var seen = Set<String>()
        return types.filter { seen.insert($0).inserted }
    }

    private static func ordered(_ set: Set<String>, as sequence: [String]) -> [String] {
        firstOccurrences(sequence).filter(set.contains)
    }
}
