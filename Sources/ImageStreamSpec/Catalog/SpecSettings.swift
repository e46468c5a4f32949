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

    public var payloadEncoding: PayloadEncoding = .base64
    public var doneSentinel: DoneSentinel = .undocumented
    public var eventField: EventFieldExpectation = .documented
    /// The statuses a finished image call may have.
    public var finalItemStatuses: [String] = ["completed"]
    /// The server accepts `size` and ignores it: images come in whatever size it picks.
    public var ignoresSize = false
    /// Request parameters the server rejects.
    public var rejectedRequestFields: [String] = []

    mutating func apply(_ patch: SettingsPatch) {
        if let value = patch.payloadEncoding { payloadEncoding = value }
        if let value = patch.doneSentinel { doneSentinel = value }
        if let value = patch.eventField { eventField = value }
        if let value = patch.finalItemStatuses { finalItemStatuses = value }
        if let value = patch.ignoresSize { ignoresSize = value }
        if let value = patch.rejectedRequestFields { rejectedRequestFields = value }
    }
}

struct SettingsPatch: Decodable, Sendable {
    var payloadEncoding: SpecSettings.PayloadEncoding?
    var doneSentinel: SpecSettings.DoneSentinel?
    var eventField: SpecSettings.EventFieldExpectation?
    var finalItemStatuses: [String]?
    var ignoresSize: Bool?
    var rejectedRequestFields: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case payloadEncoding = "payload_encoding", doneSentinel = "done_sentinel", eventField = "event_field"
        case finalItemStatuses = "final_item_statuses", ignoresSize = "ignores_size"
        case rejectedRequestFields = "rejected_request_fields"
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
    }
}
