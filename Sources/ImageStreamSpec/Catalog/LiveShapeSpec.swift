/// What the live API sends where its documented stream differs, read from a surface file's
/// `live_shape:` (a dialect may give its own). Event types and field names are resolved from
/// the surface's schemas, so a delivery can make a documented stream live without knowing
/// the surface: leave out the event types the live API does not send, keep finished items at
/// the status it leaves them in, drop `data: [DONE]`, send one partial image, equal to the
/// final image, for a call that had none, and renumber sequence numbers so they stay
/// contiguous (Delivery's `shape=live`).
public struct LiveShapeSpec: Hashable, Sendable {
    /// Event types the live API does not send.
    public var omittedEventTypes: Set<String>
    /// The output item type whose finished status the live API leaves unchanged.
    public var itemType: String
    /// The status a finished item keeps (nil: as documented).
    public var finishedItemStatus: String?
    /// Whether the live API leaves out a final `data: [DONE]`.
    public var dropsDoneSentinel: Bool
    /// When a call sent no partial image, the live API sends one equal to the final image.
    public var partialWhenNone: PartialInsertion?

    public init(omittedEventTypes: Set<String>, itemType: String, finishedItemStatus: String?, dropsDoneSentinel: Bool, partialWhenNone: PartialInsertion?) {
        self.omittedEventTypes = omittedEventTypes
        self.itemType = itemType
        self.finishedItemStatus = finishedItemStatus
        self.dropsDoneSentinel = dropsDoneSentinel
        self.partialWhenNone = partialWhenNone
    }

    /// The partial-image event the live API sends for a call that had none.
    public struct PartialInsertion: Hashable, Sendable {
        /// Such as `response.image_generation_call.partial_image`.
        public var eventType: String
        /// Its image field, such as `partial_image_b64`.
        public var imageField: String
        /// The event that finishes an item, such as `response.output_item.done`.
        public var finishedEventType: String
        /// The finished item's image field, such as `result`.
        public var resultField: String

        public init(eventType: String, imageField: String, finishedEventType: String, resultField: String) {
            self.eventType = eventType
            self.imageField = imageField
            self.finishedEventType = finishedEventType
            self.resultField = resultField
        }
    }
}

extension LiveShapeSpec {
    init(_ file: SpecFile.LiveShapeFile, events: [String: ResolvedSpec.EventSchema], path: String) throws(SpecLoadError) {
        func type(playing role: EventRole) throws(SpecLoadError) -> String {
            guard let type = events.first(where: { $0.value.role == role })?.key else {
                throw .invalid(path: path, reason: "live_shape needs an event with role \(role.rawValue), and the surface has none")
            }
            return type
        }
        var omitted: Set<String> = []
        for role in file.omittedRoles { omitted.insert(try type(playing: role)) }
        self.omittedEventTypes = omitted
        self.itemType = file.itemType
        self.finishedItemStatus = file.finishedItemStatus
        self.dropsDoneSentinel = !file.doneSentinel
        guard file.partialWhenNone else {
            self.partialWhenNone = nil
            return
        }
        let partialType = try type(playing: .callPartialImage)
        let finishedType = try type(playing: .itemDone)
        // The image field the schema requires (a dialect may add optional aliases beside it).
        func requiredImageField(_ fields: [String: FieldSchema]?) -> String? {
            (fields ?? [:]).filter(\.value.isImagePayload).sorted { ($0.value.required ? 0 : 1, $0.key) < ($1.value.required ? 0 : 1, $1.key) }.first?.key
        }
        guard let imageField = requiredImageField(events[partialType]?.fields),
              let resultField = requiredImageField(events[finishedType]?.fields["item"]?.fields) else {
            throw .invalid(path: path, reason: "live_shape.partial_when_none needs an image field (image: true) in \(partialType) and in \(finishedType).item")
        }
        self.partialWhenNone = PartialInsertion(eventType: partialType, imageField: imageField, finishedEventType: finishedType, resultField: resultField)
    }
}
