/// The request, read the way the server reads it. Multipart form fields travel as strings,
/// so a form's numbers and booleans are read from strings; a JSON body's are taken as sent
/// (`"n": "2"` is a string, which the API refuses).
public struct RequestView: Sendable {
    public let json: JSONValue
    public let fields: [String: JSONValue]
    /// True when the request came as multipart form fields, as the SDKs send image edits.
    public let isForm: Bool
    /// The Responses API's `image_generation` tool entry, if any.
    public let imageTool: [String: JSONValue]?
    /// Fields read under another name (alias to the documented name), as a dialect says.
    public let aliases: [String: String]

    public init?(_ json: JSONValue?, isResponses: Bool, isForm: Bool = false, aliases: [String: String] = [:]) {
        guard let json, let fields = json.object else { return nil }
        self.json = json
        self.fields = fields
        self.aliases = aliases
        self.isForm = isForm
        self.imageTool = isResponses
            ? json["tools"]?.array?.first(where: { $0["type"]?.string == "image_generation" })?.object
            : nil
    }

    /// The request as `spec`'s server reads it (its surface, its dialect's aliases).
    public init?(_ json: JSONValue?, isForm: Bool = false, spec: ResolvedSpec) {
        self.init(json, isResponses: spec.isResponses, isForm: isForm, aliases: spec.settings.requestAliases)
    }

    /// Where the image settings live: the tool entry on Responses (or the top level, where a
    /// gateway takes them there), the body elsewhere; aliases read as the names they stand for.
    public var imageSettings: [String: JSONValue] {
        var settings = imageTool ?? fields
        for (alias, name) in aliases where settings[name] == nil {
            if let value = settings[alias] { settings[name] = value }
        }
        return settings
    }

    /// The prompt: the `prompt` field, or the text of a Responses request's `input` (a string,
    /// or its messages' `input_text` parts, joined).
    public var promptText: String? {
        if let prompt = fields["prompt"]?.string { return prompt }
        if let input = fields["input"]?.string { return input }
        let texts = (fields["input"]?.array ?? []).flatMap { message -> [String] in
            if let text = message["content"]?.string { return [text] }
            return (message["content"]?.array ?? []).compactMap { $0["type"]?.string == "input_text" ? $0["text"]?.string : nil }
        }
        return texts.isEmpty ? nil : texts.joined(separator: " ")
    }

    /// A value as the schema wants it: a form field's string turned into a number or boolean.
    public func typed(_ value: JSONValue, as type: FieldSchema.ValueType) -> JSONValue {
        guard isForm, let text = value.string else { return value }
        switch type {
        case .integer: return Int(text).map(JSONValue.integer) ?? value
        case .number: return Double(text).map(JSONValue.number) ?? value
        case .boolean: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : value
        default: return value
        }
    }

    public func setting(_ name: String) -> String? { imageSettings[name]?.string }

    /// `partial_images` as requested (a form field's string counts), 0 when absent.
    public var partialImages: Int {
        guard let value = imageSettings["partial_images"] else { return 0 }
        return typed(value, as: .integer).integer ?? 0
    }

    /// `n`, 1 when absent.
    public var imageCount: Int {
        guard let value = fields["n"] else { return 1 }
        return typed(value, as: .integer).integer ?? 1
    }

    /// Whether the request asked for a stream; nil when it does not say.
    public var isStreaming: Bool? {
        guard let value = fields["stream"] else { return nil }
        if case .bool(let flag) = typed(value, as: .boolean) { return flag }
        return nil
    }
}
