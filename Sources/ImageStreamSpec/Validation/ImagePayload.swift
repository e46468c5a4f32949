import Foundation
import ImageFormats

/// One image found in the response (a field the schema marks as an image), decoded once.
public struct ImagePayload: Sendable {
    public let location: Finding.Location
    /// Where in the JSON, such as `b64_json` or `item.result` or `data[0].b64_json`.
    public let fieldPath: String
    /// The role of the event it came in (partial or final), nil for a JSON body.
    public let role: EventRole?
    /// The data-URL media type, when the text was `data:<type>;base64,…`.
    public let dataURLMediaType: String?
    public let encodedLength: Int
    /// The decoded bytes' inspection, or why the text did not decode.
    public let decoded: Result<ImageInspection, PayloadDecodingError>
    /// The format the response says the image has: the nearest `output_format`, else the request's.
    public let statedFormat: String?
    /// The background the response (or the request) says the image has.
    public let statedBackground: String?
    /// The size the response says the image has.
    public let statedSize: String?

    init(text: String, location: Finding.Location, fieldPath: String, role: EventRole?, statedFormat: String?, statedBackground: String?, statedSize: String?) {
        self.location = location
        self.fieldPath = fieldPath
        self.role = role
        self.statedFormat = statedFormat
        self.statedBackground = statedBackground
        self.statedSize = statedSize
        self.encodedLength = text.utf8.count
        let (mediaType, base64) = ImageDataURL.split(text)
        self.dataURLMediaType = mediaType.map(String.init)
        if let data = Data(base64Encoded: String(base64)) {
            self.decoded = .success(ImageInspector.inspect(data))
        } else {
            self.decoded = .failure(PayloadDecodingError(text: base64))
        }
    }
}

/// Base64 text that does not decode; says where it goes wrong.
public struct PayloadDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public let offset: Int?
    public let character: String?
    public let length: Int

    init(text: Substring) {
        length = text.utf8.count
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        if let index = text.utf8.firstIndex(where: { !alphabet.contains($0) }) {
            offset = text.utf8.distance(from: text.utf8.startIndex, to: index)
            character = String(text[index...].prefix(1))
        } else {
            offset = nil
            character = nil
        }
    }

    public var description: String {
        if let offset, let character {
            return "not base64: \(String(reflecting: character)) at character \(offset)"
        }
        return "not base64: \(length) characters, \(length % 4 == 0 ? "misplaced padding" : "a length that is not a multiple of 4")"
    }
}
