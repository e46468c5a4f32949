/// The knobs a dialect turns, typed so a spelling mistake is caught when Specs/ is loaded.
public struct SpecSettings: Hashable, Sendable {
    /// How image payloads are written.
    public enum PayloadEncoding: String, Decodable, Hashable, Sendable {
        /// Raw base64, as OpenAI documents.
        case base64
        /// A data URL: `data:image/png;base64,…`.
        case dataURL = "data-url"
        /// Either.
        case either
    }

    /// Whether the surface documents a final `data: [DONE]`.
    public enum DoneSentinel: String, Decodable, Hashable, Sendable {
        case undocumented, documented
    }

    /// Whether events are expected to carry an `event:` line.
    public enum EventFieldExpectation: String, Decodable, Hashable, Sendable {
        case documented, optional
    }

    /// What a server of the dialect does with `stream: true`.
    public enum StreamRequests: String, Decodable, Hashable, Sendable {
        /// Answers with an event stream, as OpenAI documents.
        case stream
        /// Answers with one JSON body, as gateways that do not stream do.
        case jsonBody = "json-body"
        /// Refuses the request with a 400.
        case refused
    }

    /// The usage object of a non-streaming body.
    public enum BodyUsage: String, Decodable, Hashable, Sendable {
        /// Input and output token details, as OpenAI sends.
        case withDetails = "with-details"
        /// Token counts only.
        case withoutDetails = "without-details"
        /// No usage.
        case none
    }

    /// A size picked from the prompt's words, where the dialect ignores `size`.
    public struct PromptSize: Decodable, Hashable, Sendable {
        /// Text the prompt contains, such as `16:9` or `square`.
        public var match: String
        public var size: String
    }

    /// A base URL a dialect's gateway is reached at, by name.
    public struct Route: Decodable, Hashable, Sendable {
        public var name: String
        public var url: String
    }

    public var payloadEncoding: PayloadEncoding = .base64
    public var doneSentinel: DoneSentinel = .undocumented
    public var eventField: EventFieldExpectation = .documented
    /// The statuses a finished image call may have.
    public var finalItemStatuses: [String] = ["completed"]
    /// The server accepts `size` and ignores it: images come in whatever size it picks.
    public var ignoresSize = false
    /// Request parameters the server rejects.
    public var rejectedRequestFields: [String] = []
    /// The shape the dialect's server sends when Tapedeck synthesizes for it: `live` where it
    /// streams as the live API does (see the surface's `live_shape`).
    public var synthesizedShape: String = "documented"
    /// What `stream: true` gets.
    public var streamRequests: StreamRequests = .stream
    /// Whether bodies and events echo background, output_format, quality and size.
    public var echoesImageSettings = true
    /// The usage a non-streaming body carries.
    public var bodyUsage: BodyUsage = .withDetails
    /// Whether completed events carry usage.input_tokens_details.
    public var usageInputDetails = true
    /// Whether each image of a body carries a revised_prompt.
    public var revisedPrompt = false
    /// The response_format a request without one gets (`url` or `b64_json`); nil when the
    /// dialect does not say, and either is accepted.
    public var defaultResponseFormat: String?
    /// The models the dialect serves; empty for any.
    public var models: [String] = []
    /// Where `ignores_size`: the size a prompt's words pick, in order (first match wins).
    public var promptSizes: [PromptSize] = []
    /// Where `ignores_size` and no prompt word matches: the sizes it picks from, by seed.
    public var unhintedSizes: [String] = []
    /// Request fields read under another name, such as `format` for `output_format`.
    public var requestAliases: [String: String] = [:]
    /// The gateway's base URLs, by name, for `tapedeck record --route`.
    public var routes: [Route] = []

    mutating func apply(_ patch: SettingsPatch) {
        if let value = patch.payloadEncoding { payloadEncoding = value }
        if let value = patch.doneSentinel { doneSentinel = value }
        if let value = patch.eventField { eventField = value }
        if let value = patch.finalItemStatuses { finalItemStatuses = value }
        if let value = patch.ignoresSize { ignoresSize = value }
        if let value = patch.rejectedRequestFields { rejectedRequestFields = value }
        if let value = patch.synthesizedShape { synthesizedShape = value }
        if let value = patch.streamRequests { streamRequests = value }
        if let value = patch.echoesImageSettings { echoesImageSettings = value }
        if let value = patch.bodyUsage { bodyUsage = value }
        if let value = patch.usageInputDetails { usageInputDetails = value }
        if let value = patch.revisedPrompt { revisedPrompt = value }
        if let value = patch.defaultResponseFormat { defaultResponseFormat = value }
        if let value = patch.models { models = value }
        if let value = patch.promptSizes { promptSizes = value }
        if let value = patch.unhintedSizes { unhintedSizes = value }
        if let value = patch.requestAliases { requestAliases = value }
        if let value = patch.routes { routes = value }
    }
}

struct SettingsPatch: Decodable, Sendable {
    var payloadEncoding: SpecSettings.PayloadEncoding?
    var doneSentinel: SpecSettings.DoneSentinel?
    var eventField: SpecSettings.EventFieldExpectation?
    var finalItemStatuses: [String]?
    var ignoresSize: Bool?
    var rejectedRequestFields: [String]?
    var synthesizedShape: String?
    var streamRequests: SpecSettings.StreamRequests?
    var echoesImageSettings: Bool?
    var bodyUsage: SpecSettings.BodyUsage?
    var usageInputDetails: Bool?
    var revisedPrompt: Bool?
    var defaultResponseFormat: String?
    var models: [String]?
    var promptSizes: [SpecSettings.PromptSize]?
    var unhintedSizes: [String]?
    var requestAliases: [String: String]?
    var routes: [SpecSettings.Route]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case payloadEncoding = "payload_encoding", doneSentinel = "done_sentinel", eventField = "event_field"
        case finalItemStatuses = "final_item_statuses", ignoresSize = "ignores_size"
        case rejectedRequestFields = "rejected_request_fields"
        case synthesizedShape = "synthesized_shape", streamRequests = "stream_requests"
        case echoesImageSettings = "echoes_image_settings", bodyUsage = "body_usage", usageInputDetails = "usage_input_details"
        case revisedPrompt = "revised_prompt", defaultResponseFormat = "default_response_format", models
        case promptSizes = "prompt_sizes", unhintedSizes = "unhinted_sizes", requestAliases = "request_aliases", routes
    }

    init(from decoder: any Decoder) throws {
        try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        payloadEncoding = try container.decodeIfPresent(SpecSettings.PayloadEncoding.self, forKey: .payloadEncoding)
        doneSentinel = try container.decodeIfPresent(SpecSettings.DoneSentinel.self, forKey: .doneSentinel)
        eventField = try container.decodeIfPresent(SpecSettings.EventFieldExpectation.self, forKey: .eventField)
        finalItemStatuses = try container.decodeIfPresent([String].self, forKey: .finalItemStatuses)
        ignoresSize = try container.decodeIfPresent(Bool.self, forKey: .ignoresSize)
        rejectedRequestFields = try container.decodeIfPresent([String].self, forKey: .rejectedRequestFields)
        synthesizedShape = try container.decodeIfPresent(String.self, forKey: .synthesizedShape)
        if let shape = synthesizedShape, !["documented", "live"].contains(shape) {
            throw DecodingError.dataCorruptedError(forKey: .synthesizedShape, in: container, debugDescription: "synthesized_shape is `\(shape)`; it takes documented or live")
        }
        streamRequests = try container.decodeIfPresent(SpecSettings.StreamRequests.self, forKey: .streamRequests)
        echoesImageSettings = try container.decodeIfPresent(Bool.self, forKey: .echoesImageSettings)
        bodyUsage = try container.decodeIfPresent(SpecSettings.BodyUsage.self, forKey: .bodyUsage)
        usageInputDetails = try container.decodeIfPresent(Bool.self, forKey: .usageInputDetails)
        revisedPrompt = try container.decodeIfPresent(Bool.self, forKey: .revisedPrompt)
        defaultResponseFormat = try container.decodeIfPresent(String.self, forKey: .defaultResponseFormat)
        if let format = defaultResponseFormat, !["url", "b64_json"].contains(format) {
            throw DecodingError.dataCorruptedError(forKey: .defaultResponseFormat, in: container, debugDescription: "default_response_format is `\(format)`; it takes url or b64_json")
        }
        models = try container.decodeIfPresent([String].self, forKey: .models)
        promptSizes = try container.decodeIfPresent([SpecSettings.PromptSize].self, forKey: .promptSizes)
        unhintedSizes = try container.decodeIfPresent([String].self, forKey: .unhintedSizes)
        requestAliases = try container.decodeIfPresent([String: String].self, forKey: .requestAliases)
        routes = try container.decodeIfPresent([SpecSettings.Route].self, forKey: .routes)
    }
}
