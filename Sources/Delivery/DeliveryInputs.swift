import ImageStreamSpec

// What the planner takes besides the body and the scenario: the surface's live shape, as the
// spec layer reads it from Specs/ (`LiveShapeSpec`), and a source of full-size images.

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
