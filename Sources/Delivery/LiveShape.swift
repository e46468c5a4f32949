/// What `shape=live` does to a documented event stream, as the surface's `live_shape` in
/// Specs/ says (read there by the spec layer, handed over by the server): leave out event types
/// the live API does not send, keep finished items at the status it leaves them in, drop
/// `data: [DONE]`, and send one partial image, equal to the final image, for a call that had
/// none. Sequence numbers are renumbered so they stay contiguous.
public struct LiveShape: Hashable, Sendable {
    public var omittedEventTypes: Set<String>
    /// The output item type whose finished status changes, such as `image_generation_call`.
    public var itemType: String
    /// The status a finished item keeps instead of `completed`; nil leaves it.
    public var finishedItemStatus: String?
    public var dropsDoneSentinel: Bool
    public var partialWhenNone: PartialInsertion?

    /// The partial-image event sent for a call that had none.
    public struct PartialInsertion: Hashable, Sendable {
        /// Such as `response.image_generation_call.partial_image`.
        public var eventType: String
        /// Its image field, such as `partial_image_b64`.
        public var imageField: String
        /// The event that finishes an item, such as `response.output_item.done`; the partial
        /// goes right before it and copies its item's image and echoed settings.
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

    public init(omittedEventTypes: Set<String>, itemType: String, finishedItemStatus: String?, dropsDoneSentinel: Bool, partialWhenNone: PartialInsertion?) {
        self.omittedEventTypes = omittedEventTypes
        self.itemType = itemType
        self.finishedItemStatus = finishedItemStatus
        self.dropsDoneSentinel = dropsDoneSentinel
        self.partialWhenNone = partialWhenNone
    }
}

/// Makes the real images of `images=full-size`. The planner finds every image payload (the
/// contents of a `b64_json`, `partial_image_b64` or `result` string) and asks for its
/// replacement; the source decides format, size and alpha from the payload itself.
public protocol FullSizeImageSource: Sendable {
    /// A real image of the payload's format, pixel size and alpha, written as the payload was
    /// (raw base64, or a data URL with the same prefix), or nil to keep the payload. Payloads
    /// numbered with the same `ordinal` get the same image; different ordinals, different images.
    func fullSize(of payload: UnsafeBufferPointer<UInt8>, ordinal: Int) -> ArraySlice<UInt8>?
}

/// The JSON members whose string values are base64 images, on every documented surface.
enum ImagePayloadKeys {
    static let all: Set<String> = ["b64_json", "partial_image_b64", "result"]
    /// The members that carry a final image (the partial's is a preview).
    static let finals: Set<String> = ["b64_json", "result"]
}
