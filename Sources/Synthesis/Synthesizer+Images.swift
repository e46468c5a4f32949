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
            + [("usage", usage(parameters, withDetails: parameters.dialect != "apiyi"))]))
        types.append(type)
        return serialize(events, types: types, done: false)
    }

    private func imageFields(_ parameters: SynthesisParameters, payload: [UInt8]) -> [(String, JSONOut)] {
        [
            ("b64_json", .string(encodedPayload(parameters, payload))),
            ("created_at", .integer(Self.createdAt)),
            ("size", .string("\(parameters.width)x\(parameters.height)")),
            ("quality", .string(parameters.quality)),
            ("background", .string(parameters.background)),
            ("output_format", .string(parameters.outputFormat.rawValue)),
        ]
    }

    /// Raw base64, or the data URL a dialect such as apiyi sends.
    private func encodedPayload(_ parameters: SynthesisParameters, _ bytes: [UInt8]) -> String {
        let text = base64(bytes)
        return parameters.dialect == "apiyi" ? "data:\(parameters.outputFormat.mimeType);base64,\(text)" : text
    }

    func imagesBody(_ parameters: SynthesisParameters) throws(SynthesisError) -> JSONOut {
        var images: [JSONOut] = []
        for index in 0..<parameters.imageCount {
            if parameters.wantsURL {
                images.append(.object([("url", .string("\(imageBaseURL)/\(parameters.outputFormat.rawValue)/\(parameters.width)x\(parameters.height)/\(parameters.seed &+ UInt64(index)).\(parameters.outputFormat.rawValue)"))]))
            } else {
                images.append(.object([("b64_json", .string(encodedPayload(parameters, try image(parameters, partial: nil, variant: UInt64(index)))))]))
            }
        }
        var fields: [(String, JSONOut)] = [("created", .integer(Self.createdAt)), ("data", .array(images))]
        if parameters.dialect == "apiyi" {
            fields.append(("usage", usage(parameters, withDetails: false)))
        } else if parameters.dialect != "gateway" {
            fields += [
                ("background", .string(parameters.background)),
                ("output_format", .string(parameters.outputFormat.rawValue)),
                ("quality", .string(parameters.quality)),
                ("size", .string("\(parameters.width)x\(parameters.height)")),
                ("usage", usage(parameters, withDetails: true, outputDetails: true)),
            ]
        }
        return .object(fields)
    }
}
