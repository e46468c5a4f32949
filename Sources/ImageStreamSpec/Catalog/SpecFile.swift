/// One file of Specs/, as written: the shared rules, a surface, or a dialect's overlay.
/// The format is documented in Specs/README.md.
struct SpecFile: Decodable, Sendable {
    static let supportedFormat = "tapedeck-spec/1"

    enum Kind: String, Decodable, Sendable { case common, surface, dialect }

    var format: String
    var kind: Kind
    var title: String
    var surface: String?
    var dialect: String?
    var surfaces: [String]?
    var source: String?
    var endpoints: [Endpoint]?
    var settings: SettingsPatch?
    var liveShape: LiveShapeFile?
    var progress: ProgressFile?
    var request: RequestSchemaFile?
    var stream: StreamSchemaFile?
    var body: ObjectSchemaFile?
    var patches: Patches?
    var rules: [RuleEntry]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, kind, title, surface, dialect, surfaces, source, endpoints, settings
        case liveShape = "live_shape"
        case progress, request, stream, body, patches, rules
    }

    init(from decoder: any Decoder) throws {
        try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        kind = try container.decode(Kind.self, forKey: .kind)
        title = try container.decode(String.self, forKey: .title)
        surface = try container.decodeIfPresent(String.self, forKey: .surface)
        dialect = try container.decodeIfPresent(String.self, forKey: .dialect)
        surfaces = try container.decodeIfPresent([String].self, forKey: .surfaces)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        endpoints = try container.decodeIfPresent([Endpoint].self, forKey: .endpoints)
        settings = try container.decodeIfPresent(SettingsPatch.self, forKey: .settings)
        liveShape = try container.decodeIfPresent(LiveShapeFile.self, forKey: .liveShape)
        progress = try container.decodeIfPresent(ProgressFile.self, forKey: .progress)
        request = try container.decodeIfPresent(RequestSchemaFile.self, forKey: .request)
        stream = try container.decodeIfPresent(StreamSchemaFile.self, forKey: .stream)
        body = try container.decodeIfPresent(ObjectSchemaFile.self, forKey: .body)
        patches = try container.decodeIfPresent(Patches.self, forKey: .patches)
        rules = try container.decodeIfPresent([RuleEntry].self, forKey: .rules)
    }

    /// How the live API's stream differs from the documented one (`live_shape:`).
    struct LiveShapeFile: Decodable, Sendable {
        var omittedRoles: [EventRole]
        var itemType: String
        var finishedItemStatus: String?
        var doneSentinel: Bool
        var partialWhenNone: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case omittedRoles = "omitted_roles", itemType = "item_type", finishedItemStatus = "finished_item_status"
            case doneSentinel = "done_sentinel", partialWhenNone = "partial_when_none"
        }

        init(from decoder: any Decoder) throws {
            try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            omittedRoles = try container.decodeIfPresent([EventRole].self, forKey: .omittedRoles) ?? []
            itemType = try container.decode(String.self, forKey: .itemType)
            finishedItemStatus = try container.decodeIfPresent(String.self, forKey: .finishedItemStatus)
            doneSentinel = try container.decodeIfPresent(Bool.self, forKey: .doneSentinel) ?? true
            partialWhenNone = try container.decodeIfPresent(Bool.self, forKey: .partialWhenNone) ?? false
        }
    }

    struct ObjectSchemaFile: Decodable, Sendable {
        var fields: [String: FieldSchemaPatch]
    }

    struct RequestSchemaFile: Decodable, Sendable {
        var fields: [String: FieldSchemaPatch]
        /// The Responses API's `image_generation` entry of `tools`.
        var tool: [String: FieldSchemaPatch]?
    }

    struct StreamSchemaFile: Decodable, Sendable {
        var events: [String: EventSchemaFile]
        var otherEvents: [String]?

        enum CodingKeys: String, CodingKey { case events, otherEvents = "other_events" }
    }

    struct EventSchemaFile: Decodable, Sendable {
        var role: EventRole
        var fields: [String: FieldSchemaPatch]
    }

    struct Patches: Decodable, Sendable {
        var request: [String: FieldSchemaPatch]?
        var tool: [String: FieldSchemaPatch]?
        var events: [String: [String: FieldSchemaPatch]]?
        var body: [String: FieldSchemaPatch]?
    }

    /// A rule: a new one (id, level, statement, source, check) or, in a dialect, a change of
    /// an existing rule's level (id, level, why).
    struct RuleEntry: Decodable, Sendable {
        var id: String
        var level: RuleLevel
        var statement: String?
        var source: String?
        var check: String?
        var why: String?
    }
}

/// An endpoint a surface answers on.
public struct Endpoint: Decodable, Hashable, Sendable {
    public var method: String
    public var path: String
    public var contentType: String

    enum CodingKeys: String, CodingKey { case method, path, contentType = "content_type" }
}

/// What an event does in its surface's lifecycle, so checks need no event names.
public enum EventRole: String, Decodable, Hashable, Sendable {
    case partial, completed
    case responseCreated = "response-created"
    case responseInProgress = "response-in-progress"
    case itemAdded = "item-added"
    case callInProgress = "call-in-progress"
    case callGenerating = "call-generating"
    case callPartialImage = "call-partial-image"
    case callCompleted = "call-completed"
    case itemDone = "item-done"
    case responseCompleted = "response-completed"
    case responseFailed = "response-failed"
    case responseIncomplete = "response-incomplete"
    case error

    /// Roles that end a Responses stream.
    public var isTerminal: Bool {
        [.responseCompleted, .responseFailed, .responseIncomplete, .error].contains(self)
    }

    /// Roles that carry a partial image.
    public var isPartialImage: Bool { self == .partial || self == .callPartialImage }
}
