import Foundation
import ImageFormats

/// An image carried in a response, as found in an event's or a body's JSON.
struct ImagePayload {
    var role: ImageRole
    /// The partial image index, or the final image's position (nil: count in arrival order).
    var index: Int?
    /// The base64 text, a `data:image/...;base64,` prefix already removed.
    var base64: String

    enum ImageRole { case partial, final }

    /// The images an event of a stream carries: `b64_json` of the images surfaces' partial and
    /// completed events, `partial_image_b64` of the responses surface, and `item.result` of a
    /// responses `output_item.done` whose item is an image generation call.
    static func inEvent(_ object: [String: Any], type: String) -> [ImagePayload] {
        if type.hasSuffix(".partial_image") {
            let text = object["b64_json"] as? String ?? object["partial_image_b64"] as? String
            guard let text else { return [] }
            return [ImagePayload(role: .partial, index: object["partial_image_index"] as? Int, base64: stripDataPrefix(text))]
        }
        if type.hasSuffix(".completed"), let text = object["b64_json"] as? String {
            return [ImagePayload(role: .final, index: nil, base64: stripDataPrefix(text))]
        }
        if type == "response.output_item.done",
           let item = object["item"] as? [String: Any],
           item["type"] as? String == "image_generation_call",
           let text = item["result"] as? String {
            return [ImagePayload(role: .final, index: nil, base64: stripDataPrefix(text))]
        }
        return []
    }

    /// The final images of a JSON (non-streaming) body: `data[i].b64_json`.
    static func inBody(_ object: [String: Any]) -> [ImagePayload] {
        guard let data = object["data"] as? [[String: Any]] else { return [] }
        return data.enumerated().compactMap { position, entry in
            guard let text = entry["b64_json"] as? String else { return nil }
            return ImagePayload(role: .final, index: position, base64: stripDataPrefix(text))
        }
    }

    /// `data:image/png;base64,AAAA` as some gateways send it becomes `AAAA`.
    static func stripDataPrefix(_ text: String) -> String {
        String(ImageDataURL.split(text).base64)
    }
}
