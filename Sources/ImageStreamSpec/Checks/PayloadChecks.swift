import ImageFormats

/// The images themselves: encoding, format, completeness, pixel size and alpha.
enum PayloadChecks {
    static let all: [Check] = [
        Check("payload-base64") { context in
            context.trace.payloads.compactMap { payload in
                let encoding = context.spec.settings.payloadEncoding
                if case .failure(let error) = payload.decoded {
                    return Violation(payload.location, "\(payload.fieldPath) is \(error)", expected: "base64", actual: "\(payload.encodedLength) characters")
                }
                if payload.dataURLMediaType != nil, encoding == .base64 {
                    return Violation(payload.location, "\(payload.fieldPath) starts with a data-URL prefix (data:\(payload.dataURLMediaType ?? "");base64,); clients that prepend their own break", expected: "raw base64", actual: "a data URL")
                }
                if payload.dataURLMediaType == nil, encoding == .dataURL {
                    return Violation(payload.location, "\(payload.fieldPath) is raw base64, but the \(context.spec.dialect) dialect sends data URLs", expected: "data:image/…;base64,…", actual: "raw base64")
                }
                return nil
            }
        },
        Check("payload-format") { context in
            context.trace.payloads.flatMap { payload -> [Violation] in
                guard case .success(let inspection) = payload.decoded else { return [] }
                guard let format = inspection.format else {
                    return [Violation(payload.location, "\(payload.fieldPath) decodes to bytes that are not a PNG, JPEG or WebP image", expected: payload.statedFormat ?? "an image", actual: inspection.problems.first.map(String.init(describing:)) ?? "unknown bytes")]
                }
                var violations: [Violation] = []
                if let stated = payload.statedFormat, stated != format.rawValue {
                    violations.append(Violation(payload.location, "\(payload.fieldPath) is a \(format.rawValue.uppercased()) image, but output_format says \(stated)", expected: stated, actual: format.rawValue))
                }
                if let mediaType = payload.dataURLMediaType, mediaType != "image/\(format.rawValue)" {
                    violations.append(Violation(payload.location, "\(payload.fieldPath)'s data URL says \(mediaType) but holds a \(format.rawValue.uppercased()) image", expected: "image/\(format.rawValue)", actual: mediaType))
                }
                if !inspection.problems.isEmpty {
                    let problems = inspection.problems.prefix(3).map(String.init(describing:)).joined(separator: "; ")
                    violations.append(Violation(payload.location, "\(payload.fieldPath) is an incomplete \(format.rawValue.uppercased()): \(problems)", expected: "a complete image", actual: "\(inspection.problems.count) problem\(inspection.problems.count == 1 ? "" : "s")"))
                }
                return violations
            }
        },
        Check("payload-dimensions") { context in
            guard !context.spec.settings.ignoresSize else { return [] }
            return context.trace.payloads.compactMap { payload in
                guard case .success(let inspection) = payload.decoded, let width = inspection.width, let height = inspection.height,
                      let expected = expectedSize(for: payload, context: context),
                      case .pixels(let expectedWidth, let expectedHeight) = expected else { return nil }
                guard (width, height) != (expectedWidth, expectedHeight) else { return nil }
                return Violation(payload.location, "\(payload.fieldPath) is \(width)x\(height) pixels; \(expected) was asked for", expected: expected.description, actual: "\(width)x\(height)")
            }
        },
        Check("payload-alpha") { context in
            context.trace.payloads.compactMap { payload in
                guard payload.statedBackground == "transparent", case .success(let inspection) = payload.decoded,
                      inspection.hasAlpha == false, let format = inspection.format else { return nil }
                return Violation(payload.location, "\(payload.fieldPath) should be transparent, but the \(format.rawValue.uppercased()) has no alpha channel", expected: "an alpha channel", actual: "none")
            }
        },
    ]

    /// The size the image should have: the request's, else the size the response states, unless either says auto.
    private static func expectedSize(for payload: ImagePayload, context: CheckContext) -> ImageSize? {
        if let requested = context.request?.setting("size").flatMap(ImageSize.init) {
            return requested == .auto ? nil : requested
        }
        return payload.statedSize.flatMap(ImageSize.init).flatMap { $0 == .auto ? nil : $0 }
    }

    /// Finds every image payload the schemas mark, once, before the checks run.
    static func collectPayloads(in trace: ResponseTrace, spec: ResolvedSpec, request: RequestView?) -> [ImagePayload] {
        let requested = Stated(
            format: request?.setting("output_format") ?? (request == nil ? nil : "png"),
            background: request?.setting("background"),
            size: nil
        )
        var payloads: [ImagePayload] = []
        for event in trace.jsonEvents {
            guard let type = event.type, let schema = spec.events[type], let json = event.json else { continue }
            collect(json, fields: schema.fields, path: "", location: .event(index: event.index), role: schema.role, inherited: requested, into: &payloads)
        }
        if let body = trace.body, !body.isErrorBody {
            collect(body, fields: spec.body, path: "", location: .body, role: nil, inherited: requested, into: &payloads)
        }
        return payloads
    }

    /// What a response says of an image next to it; the nearest statement wins.
    private struct Stated {
        var format: String?
        var background: String?
        var size: String?

        func overridden(by object: [String: JSONValue]) -> Stated {
            Stated(
                format: object["output_format"]?.string ?? format,
                background: object["background"]?.string.flatMap { $0 == "auto" ? nil : $0 } ?? background,
                size: object["size"]?.string ?? size
            )
        }
    }

    private static func collect(_ value: JSONValue, fields: [String: FieldSchema], path: String, location: Finding.Location, role: EventRole?, inherited: Stated, into payloads: inout [ImagePayload]) {
        guard let object = value.object else { return }
        let stated = inherited.overridden(by: object)
        for (name, schema) in fields.sorted(by: { $0.key < $1.key }) {
            guard let field = object[name] else { continue }
            let fieldPath = path.isEmpty ? name : "\(path).\(name)"
            if schema.isImagePayload, let text = field.string {
                payloads.append(ImagePayload(text: text, location: location, fieldPath: fieldPath, role: role, statedFormat: stated.format, statedBackground: stated.background, statedSize: stated.size))
            }
            if !schema.fields.isEmpty {
                collect(field, fields: schema.fields, path: fieldPath, location: location, role: role, inherited: stated, into: &payloads)
            }
            if let items = schema.items?.value, let elements = field.array {
                for (index, element) in elements.enumerated() {
                    collect(element, fields: items.fields, path: "\(fieldPath)[\(index)]", location: location, role: role, inherited: stated, into: &payloads)
                }
            }
        }
    }
}
