/// One surface with one dialect laid over it: the rules in force, their levels, the settings,
/// and the schemas of the request, each event type and the JSON body.
public struct ResolvedSpec: Sendable {
    public let surface: String
    public let dialect: String
    public let title: String
    public let endpoints: [Endpoint]
    public let settings: SpecSettings
    public let request: [String: FieldSchema]
    /// The `image_generation` entry of a Responses request's `tools`.
    public let tool: [String: FieldSchema]
    public let events: [String: EventSchema]
    /// Event types of other output items that may surround the image call.
    public let otherEvents: Set<String>
    public let body: [String: FieldSchema]
    /// Every rule, sorted by ID, with the level the dialect gives it (`off` included).
    public let rules: [Rule]
    /// How the live API's stream differs from the documented one; nil when no capture differs.
    public let liveShape: LiveShapeSpec?
    /// The dialect's real-time progress channel, when it has one.
    public let progress: ProgressSpec?

    public struct EventSchema: Hashable, Sendable {
        public let role: EventRole
        public let fields: [String: FieldSchema]
    }

    public func role(of eventType: String) -> EventRole? { events[eventType]?.role }

    /// The event type that plays `role`, for messages.
    public func eventType(playing role: EventRole) -> String? {
        events.first { $0.value.role == role }?.key
    }

    public var isResponses: Bool { events.values.contains { $0.role == .responseCreated } }

    /// Whether a request written as a JSON object stands for a multipart form's fields: the
    /// surface takes forms (as the SDKs send image edits) and every member is a string, so
    /// `"stream": "true"` and `"n": "2"` are read as a form's are.
    public func readsAsForm(_ request: JSONValue) -> Bool {
        endpoints.contains { $0.contentType.hasPrefix("multipart/form-data") }
            && (request.object?.values.allSatisfy { $0.string != nil } ?? false)
    }

    init(common: SpecCatalog.LoadedFile, surface: SpecCatalog.LoadedFile, dialect: SpecCatalog.LoadedFile) throws(SpecLoadError) {
        let surfaceSpec = surface.spec
        let dialectSpec = dialect.spec
        self.surface = surfaceSpec.surface ?? ""
        self.dialect = dialectSpec.dialect ?? ""
        self.title = surfaceSpec.title
        self.endpoints = surfaceSpec.endpoints ?? []

        var settings = SpecSettings()
        for patch in [common.spec.settings, surfaceSpec.settings, dialectSpec.settings].compactMap({ $0 }) {
            settings.apply(patch)
        }
        self.settings = settings

        let patches = dialectSpec.patches
        self.request = Self.merge(surfaceSpec.request?.fields ?? [:], patches?.request)
        self.tool = Self.merge(surfaceSpec.request?.tool ?? [:], patches?.tool)
        self.body = Self.merge(surfaceSpec.body?.fields ?? [:], patches?.body)
        var events: [String: EventSchema] = [:]
        for (type, event) in surfaceSpec.stream?.events ?? [:] {
            events[type] = EventSchema(role: event.role, fields: Self.merge(event.fields, patches?.events?[type]))
        }
        for type in (patches?.events ?? [:]).keys where events[type] == nil {
            throw .invalid(path: dialect.path, reason: "patches.events names `\(type)`, which surface \(self.surface) does not define")
        }
        self.events = events
        if let file = dialectSpec.liveShape ?? surfaceSpec.liveShape {
            self.liveShape = try LiveShapeSpec(file, events: events, path: dialectSpec.liveShape != nil ? dialect.path : surface.path)
        } else {
            self.liveShape = nil
        }
        self.progress = try dialectSpec.progress.map { file throws(SpecLoadError) in try ProgressSpec(file, path: dialect.path) }
        self.otherEvents = Set(surfaceSpec.stream?.otherEvents ?? [])

        var rules: [String: Rule] = [:]
        for file in [common, surface, dialect] {
            for entry in file.spec.rules ?? [] {
                if rules[entry.id] != nil {
                    rules[entry.id]?.level = entry.level
                } else if let statement = entry.statement, let source = entry.source, let check = entry.check {
                    rules[entry.id] = Rule(id: entry.id, level: entry.level, statement: statement, source: source, check: check, file: file.path)
                } else {
                    throw .invalid(path: file.path, reason: "rule \(entry.id) changes a rule this surface does not have, or a new rule lacks statement, source or check")
                }
            }
        }
        self.rules = rules.values.sorted { $0.id < $1.id }
    }

    private static func merge(_ fields: [String: FieldSchemaPatch], _ patch: [String: FieldSchemaPatch]?) -> [String: FieldSchema] {
        var merged = fields.mapValues(\.schema)
        for (name, fieldPatch) in patch ?? [:] {
            merged[name] = (merged[name] ?? FieldSchema()).patched(with: fieldPatch)
        }
        return merged
    }
}
