/// The documented shape of one JSON field: its type, whether it is required, and its values.
public struct FieldSchema: Hashable, Sendable {
    public enum ValueType: String, Codable, Hashable, Sendable {
        case string, integer, number, boolean, object, array, any
    }

    public var type: ValueType = .any
    public var required = false
    public var nullable = false
    /// The documented values; another value is a finding (SHOULD), never a crash.
    public var allowedValues: [String]?
    /// Besides `allowedValues`, any `WIDTHxHEIGHT` string is accepted.
    public var acceptsDimensions = false
    public var minimum: Double?
    public var maximum: Double?
    public var minimumLength: Int?
    public var maximumLength: Int?
    /// Base64 image data (possibly a data URL, where the dialect says so).
    public var isImagePayload = false
    public var fields: [String: FieldSchema] = [:]
    public var items: Indirect<FieldSchema>?

    public init() {}

    /// Applies a dialect's patch: the keys it sets replace these, nested fields merge.
    func patched(with patch: FieldSchemaPatch) -> FieldSchema {
        var result = self
        if let type = patch.type { result.type = type }
        if let required = patch.required { result.required = required }
        if let nullable = patch.nullable { result.nullable = nullable }
        if let values = patch.allowedValues { result.allowedValues = values }
        if let dimensions = patch.acceptsDimensions { result.acceptsDimensions = dimensions }
        if let minimum = patch.minimum { result.minimum = minimum }
        if let maximum = patch.maximum { result.maximum = maximum }
        if let minimumLength = patch.minimumLength { result.minimumLength = minimumLength }
        if let maximumLength = patch.maximumLength { result.maximumLength = maximumLength }
        if let image = patch.isImagePayload { result.isImagePayload = image }
        for (name, fieldPatch) in patch.fields {
            result.fields[name] = (result.fields[name] ?? FieldSchema()).patched(with: fieldPatch)
        }
        if let items = patch.items {
            result.items = Indirect((result.items?.value ?? FieldSchema()).patched(with: items.value))
        }
        return result
    }
}

/// A box that lets a schema contain a schema.
public final class Indirect<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
    public static func == (lhs: Indirect, rhs: Indirect) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A field as written in a spec file: every key optional, so dialects can patch one key.
struct FieldSchemaPatch: Decodable, Sendable {
    var type: FieldSchema.ValueType?
    var required: Bool?
    var nullable: Bool?
    var allowedValues: [String]?
    var acceptsDimensions: Bool?
    var minimum: Double?
    var maximum: Double?
    var minimumLength: Int?
    var maximumLength: Int?
    var isImagePayload: Bool?
    var fields: [String: FieldSchemaPatch] = [:]
    var items: Indirect<FieldSchemaPatch>?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, required, nullable, allowedValues = "enum", acceptsDimensions = "dimensions"
        case minimum = "min", maximum = "max", minimumLength = "min_length", maximumLength = "max_length"
        case isImagePayload = "image", fields, items
    }

    init(from decoder: any Decoder) throws {
        try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(FieldSchema.ValueType.self, forKey: .type)
        required = try container.decodeIfPresent(Bool.self, forKey: .required)
        nullable = try container.decodeIfPresent(Bool.self, forKey: .nullable)
        allowedValues = try container.decodeIfPresent([String].self, forKey: .allowedValues)
        acceptsDimensions = try container.decodeIfPresent(Bool.self, forKey: .acceptsDimensions)
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum)
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum)
        minimumLength = try container.decodeIfPresent(Int.self, forKey: .minimumLength)
        maximumLength = try container.decodeIfPresent(Int.self, forKey: .maximumLength)
        isImagePayload = try container.decodeIfPresent(Bool.self, forKey: .isImagePayload)
        fields = try container.decodeIfPresent([String: FieldSchemaPatch].self, forKey: .fields) ?? [:]
        items = try container.decodeIfPresent(FieldSchemaPatch.self, forKey: .items).map(Indirect.init)
    }

    var schema: FieldSchema { FieldSchema().patched(with: self) }
}

extension FieldSchemaPatch: Hashable {}
