import Foundation
import ImageCodecs
import ImageStreamSpec
import SSEWire

/// A response made from the spec for a request's parameters: the events (or JSON body) the
/// surface documents, in the dialect's shape, carrying real images of the asked format and size.
public struct SynthesizedResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var isEventStream: Bool { contentType == "text/event-stream" }
}

public struct Synthesizer: Sendable {
    /// Makes the encoded image for a picture; the server wraps it in a cache.
    public typealias ImageMaker = @Sendable (Picture, ImageEncoding) throws -> [UInt8]

    let makeImage: ImageMaker
    /// Where `response_format: url` images are served: a placeholder the server replaces with
    /// its own address when it delivers the body.
    let imageBaseURL: String
    /// `created` / `created_at` in what is synthesized: fixed, so responses are reproducible.
    static let createdAt = 1_763_800_000

    public init(imageBaseURL: String = "http://127.0.0.1/tapedeck/images", makeImage: @escaping ImageMaker = { try ImageEncoder.encode($0, as: $1) }) {
        self.imageBaseURL = imageBaseURL
        self.makeImage = makeImage
    }

    public func respond(to parameters: SynthesisParameters) throws(SynthesisError) -> SynthesizedResponse {
        if parameters.surface == "responses" {
            return parameters.stream
                ? SynthesizedResponse(status: 200, contentType: "text/event-stream", body: try responsesStream(parameters))
                : SynthesizedResponse(status: 200, contentType: "application/json", body: try responseObject(parameters).bytes)
        }
        return parameters.stream
            ? SynthesizedResponse(status: 200, contentType: "text/event-stream", body: try imagesStream(parameters))
            : SynthesizedResponse(status: 200, contentType: "application/json", body: try imagesBody(parameters).bytes)
    }

    /// The image for partial `index` of `parameters.partialImages`, or the final image for nil.
    /// Previews are coarser than the final picture, as real partial images are.
    func image(_ parameters: SynthesisParameters, partial index: Int?, variant: UInt64 = 0) throws(SynthesisError) -> [UInt8] {
        let detail = index.map { min(2, $0 * 3 / max(1, parameters.partialImages)) } ?? 3
        let picture = Picture(width: parameters.width, height: parameters.height, hasAlpha: parameters.background == "transparent", detail: detail, seed: parameters.seed &+ variant)
        let encoding: ImageEncoding = switch parameters.outputFormat {
        case .png: .png
        case .jpeg: .jpeg
        case .webp: .webp
        }
        do {
            return try makeImage(picture, encoding)
        } catch {
            throw .encoding(String(describing: error))
        }
    }

    func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Token counts shaped like GPT image usage: output grows with quality and area.
    func usage(_ parameters: SynthesisParameters, withDetails: Bool, outputDetails: Bool = false) -> JSONOut {
        let perMegapixel = ["low": 272, "medium": 1056, "high": 4160, "hd": 4160, "standard": 1056][parameters.quality] ?? 1056
        let output = max(1, perMegapixel * parameters.width * parameters.height / (1024 * 1024)) * parameters.imageCount
        let text = 20 + Int(parameters.seed % 40)
        let image = parameters.surface == "images.edit" ? 194 : 0
        var fields: [(String, JSONOut)] = [("input_tokens", .integer(text + image))]
        if withDetails {
            fields.append(("input_tokens_details", .object([("image_tokens", .integer(image)), ("text_tokens", .integer(text))])))
        }
        fields.append(("output_tokens", .integer(output)))
        if outputDetails {
            fields.append(("output_tokens_details", .object([("image_tokens", .integer(output)), ("text_tokens", .integer(0))])))
        }
        fields.append(("total_tokens", .integer(text + image + output)))
        return .object(fields)
    }

    /// Writes events in the documented framing: an event line equal to the type, one data line.
    func serialize(_ events: [JSONOut], types: [String], done: Bool) -> [UInt8] {
        var output: [UInt8] = []
        for (event, type) in zip(events, types) {
            output.append(contentsOf: "event: \(type)\ndata: ".utf8)
            event.write(into: &output)
            output.append(contentsOf: "\n\n".utf8)
        }
        if done { output.append(contentsOf: "data: [DONE]\n\n".utf8) }
        return output
    }
}
