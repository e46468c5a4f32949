/// The Images API: `image_generation.*` / `image_edit.*` events, or an `ImagesResponse` body.
extension Synthesizer {
    func imagesStream(_ parameters: SynthesisParameters) throws(SynthesisError) -> [UInt8] {
        let prefix = parameters.surface == "images.edit" ? "image_edit" : "image_generation"
        var events: [JSONOut] = []
        var types: [String] = []
        for index in 0..<parameters.partialImages {
            let type = "\(prefix).partial_image"
            events.append(.object([("type", .string(type))] + imageFields(parameters, payload: try image(parameters, partial: index)) + [("partial_image_index", .integer(index))]))
            types.append(type)
        }
        let type = "\(prefix).completed"
        events.append(.object([("type", .string(type))] + imageFields(parameters, payload: try image(parameters, partial: nil))
            + [("usage", usage(parameters, withDetails: parameters.settings.usageInputDetails))]))
        types.append(type)
        return serialize(events, types: types, done: false)
    }

    private func imageFields(_ parameters: SynthesisParameters, payload: [UInt8]) -> [(String, JSONOut)] {
        [("b64_json", .string(encodedPayload(parameters, payload))), ("created_at", .integer(Self.createdAt))] + echoedSettings(parameters)
    }

    /// size, quality, background and output_format, where the dialect echoes them.
    private func echoedSettings(_ parameters: SynthesisParameters) -> [(String, JSONOut)] {
        guard parameters.settings.echoesImageSettings else { return [] }
        return [
            ("size", .string("\(parameters.width)x\(parameters.height)")),
            ("quality", .string(parameters.quality)),
            ("background", .string(parameters.background)),
            ("output_format", .string(parameters.outputFormat.rawValue)),
        ]
    }

    /// Raw base64, or a data URL where the dialect sends one (`payload_encoding: data-url`).
    private func encodedPayload(_ parameters: SynthesisParameters, _ bytes: [UInt8]) -> String {
        let text = base64(bytes)
        return parameters.settings.payloadEncoding == .dataURL ? "data:\(parameters.outputFormat.mimeType);base64,\(text)" : text
    }

    func imagesBody(_ parameters: SynthesisParameters) throws(SynthesisError) -> JSONOut {
        var images: [JSONOut] = []
        for index in 0..<parameters.imageCount {
            var image: [(String, JSONOut)] = parameters.wantsURL
                ? [("url", .string(imageURL(parameters, variant: UInt64(index))))]
                : [("b64_json", .string(encodedPayload(parameters, try image(parameters, partial: nil, variant: UInt64(index)))))]
            if parameters.settings.revisedPrompt { image.append(("revised_prompt", .string(Self.revisedPrompt))) }
            images.append(.object(image))
        }
        var fields: [(String, JSONOut)] = [("created", .integer(Self.createdAt)), ("data", .array(images))]
        fields += echoedSettings(parameters).sorted { $0.0 < $1.0 }
        switch parameters.settings.bodyUsage {
        case .withDetails: fields.append(("usage", usage(parameters, withDetails: true, outputDetails: true)))
        case .withoutDetails: fields.append(("usage", usage(parameters, withDetails: false)))
        case .none: break
        }
        return .object(fields)
    }

    /// Where a `response_format: url` image is served: the server makes it again from the URL,
    /// the same bytes, with an alpha channel where the background is transparent.
    func imageURL(_ parameters: SynthesisParameters, variant: UInt64) -> String {
        let alpha = parameters.background == "transparent" ? "a" : ""
        let format = parameters.outputFormat.rawValue
        return "\(imageBaseURL)/\(format)/\(parameters.width)x\(parameters.height)\(alpha)/\(parameters.seed &+ variant).\(format)"
    }
}
