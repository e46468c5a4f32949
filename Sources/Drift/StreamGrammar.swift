import Cassette
import Foundation
import ImageFormats
import ImageStreamSpec
import SSEWire

/// What a recorded response says at the level clients read it, leaving out values that differ on
/// every call (IDs, times, the image bytes): the status, the kind of body, how it ended, the
/// event types in order, each type's field paths and their JSON kinds, the `status` values,
/// the request settings the events echo, the images' format and size, and the `[DONE]` line.
public struct StreamGrammar: Hashable, Sendable {
    public var status: Int
    /// `event-stream`, `json` or `other`, from the Content-Type.
    public var bodyKind: String
    public var ending: String
    /// The event types in order (`type` in the data's JSON, else the event field).
    public var eventTypes: [String]
    /// Per event type: every field path (`item.result`, `output[].status`) and its JSON kind,
    /// over all events of the type. For a JSON body, the type is `body`.
    public var fields: [String: [String: String]]
    /// Per event type and path ending in `status`: the values seen.
    public var statusValues: [String: [String: Set<String>]]
    /// Per event type and path: the values of fields named like a request setting (size, quality, …).
    public var echoes: [String: [String: Set<String>]]
    /// Per event type and path: the images carried, as `png 1024×1024`.
    public var images: [String: [String: Set<String>]]
    public var hasDoneSentinel: Bool
    /// The `error.message` of a JSON error body, when it is one.
    public var errorMessage: String?

    /// Payload strings shorter than this are not looked at as images.
    static let imageMinimum = 64

    public init(_ cassette: Cassette) {
        let response = cassette.response
        status = response.status
        let contentType = (response.headers.first(named: "Content-Type") ?? "").lowercased()
        bodyKind = contentType.hasPrefix("text/event-stream") ? "event-stream" : contentType.contains("json") ? "json" : "other"
        ending = response.ending.rawValue
        eventTypes = []
        fields = [:]
        statusValues = [:]
        echoes = [:]
        images = [:]
        hasDoneSentinel = false
        let settings = Self.settingNames(cassette.request)
        let bytes = response.recording.bytes
        if bodyKind == "event-stream" || (bodyKind == "other" && !bytes.isEmpty && bytes.first != UInt8(ascii: "{")) {
            for event in SSEParser.parse(bytes).events {
                if event.data == "[DONE]" {
                    hasDoneSentinel = true
                    continue
                }
                let json = try? JSONValue.parse(event.data)
                let type = json?["type"]?.string ?? event.type
                eventTypes.append(type)
                if let json { walk(json, path: "", type: type, settings: settings) }
            }
        } else if let json = try? JSONValue.parse(bytes) {
            walk(json, path: "", type: "body", settings: settings)
            errorMessage = json["error"]?["message"]?.string
        }
    }

    private mutating func walk(_ value: JSONValue, path: String, type: String, settings: Set<String>) {
        if !path.isEmpty { fields[type, default: [:]][path] = value.typeName }
        let name = path.split(separator: ".").last.map { String($0.replacingOccurrences(of: "[]", with: "")) } ?? ""
        switch value {
        case .object(let members):
            for (key, member) in members { walk(member, path: path.isEmpty ? key : "\(path).\(key)", type: type, settings: settings) }
        case .array(let items):
            for item in items { walk(item, path: path + "[]", type: type, settings: settings) }
        case .string(let text):
            if name == "status" { statusValues[type, default: [:]][path, default: []].insert(text) }
            if settings.contains(name) { echoes[type, default: [:]][path, default: []].insert(text) }
            if text.utf8.count >= Self.imageMinimum, let image = Self.image(text) { images[type, default: [:]][path, default: []].insert(image) }
        case .integer, .number, .bool:
            if settings.contains(name) { echoes[type, default: [:]][path, default: []].insert(Self.scalarText(value)) }
        case .null:
            break
        }
    }

    /// The names of the request's settings (its JSON members at any depth, or its form fields),
    /// but the prompt and the input, which are not echoed.
    static func settingNames(_ request: RecordedRequest) -> Set<String> {
        var names = Set<String>()
        switch request.body {
        case .json(let text):
            func collect(_ value: JSONValue) {
                switch value {
                case .object(let members): for (key, member) in members { names.insert(key); collect(member) }
                case .array(let items): items.forEach(collect)
                default: break
                }
            }
            if let json = try? JSONValue.parse(text) { collect(json) }
        case .form(let fields, _):
            names.formUnion(fields.map(\.name))
        case .none:
            break
        }
        return names.subtracting(["prompt", "input", "stream", "type", "tools", "n", "user"])
    }

    /// `png 1024×1536` for a base64 image (raw or as a data URL), nil for anything else.
    static func image(_ text: String) -> String? {
        let base64 = ImageDataURL.split(text).base64
        guard let data = Data(base64Encoded: String(base64)) else { return nil }
        let inspection = ImageInspector.inspect(data)
        guard let format = inspection.format else { return nil }
        let size = inspection.width.flatMap { w in inspection.height.map { "\(w)×\($0)" } } ?? "size unknown"
        return "\(format.rawValue) \(size)"
    }

    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        case .string(let text): text
        default: value.typeName
        }
    }
}
