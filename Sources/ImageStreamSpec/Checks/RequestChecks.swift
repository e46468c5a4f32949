/// The request as sent: its parameters against the surface's (and the dialect's) schema.
enum RequestChecks {
    static let all: [Check] = [
        Check("request-required") { walk($0, .required) },
        Check("request-type") { walk($0, .type) },
        Check("request-enum") { walk($0, .allowedValues) },
        Check("request-range") { walk($0, .range) },
        Check("request-transparent-format") { context in
            guard let request = context.request, request.setting("background") == "transparent" else { return [] }
            let format = request.setting("output_format") ?? "png"
            guard OutputFormat(rawValue: format)?.supportsTransparency == false else { return [] }
            return [Violation(.request, "background transparent with output_format \(format), which has no alpha channel", expected: "png or webp", actual: format)]
        },
        Check("request-rejected-fields") { context in
            guard let request = context.request else { return [] }
            return context.spec.settings.rejectedRequestFields.sorted().compactMap { name in
                guard request.fields[name] != nil else { return nil }
                return Violation(.request, "the request sends \(name), which the \(context.spec.dialect) dialect rejects", expected: "no \(name)", actual: name)
            }
        },
        Check("request-n-for-model") { context in
            guard let request = context.request, let model = request.fields["model"]?.string, singleImageModels.contains(model),
                  request.imageCount > 1 else { return [] }
            return [Violation(.request, "n is \(request.imageCount), but \(model) makes one image per request", expected: "n 1", actual: "\(request.imageCount)")]
        },
        Check("request-model-served") { context in
            let models = context.spec.settings.models
            guard let request = context.request, !models.isEmpty else { return [] }
            let model = request.imageTool?["model"]?.string ?? request.fields["model"]?.string ?? "none"
            guard !models.contains(model) else { return [] }
            return [Violation(.request, "model \(model) is not one the \(context.spec.dialect) dialect serves", expected: models.joined(separator: " or "), actual: model)]
        },
        Check("request-size-for-model") { context in
            guard let request = context.request, let text = request.setting("size"), let size = ImageSize(text) else { return [] }
            // On the Responses API the image model is the tool's; elsewhere the request's.
            let model = request.imageTool?["model"]?.string ?? request.fields["model"]?.string ?? ""
            guard let refusal = size.refusal(byModel: model) else { return [] }
            return [Violation(.request, "size \(text) is not one \(model) accepts: \(refusal)", expected: "a size \(model) accepts", actual: text)]
        },
    ]

    /// dall-e-3 makes one image per request (spec-facts §1.5).
    static let singleImageModels: Set<String> = ["dall-e-3"]

    private static func walk(_ context: CheckContext, _ aspect: SchemaWalker.Aspect) -> [Violation] {
        guard let request = context.request else { return [] }
        var walker = SchemaWalker(aspect: aspect, location: .request)
        walker.coerce = { value, type in request.typed(value, as: type) }
        walker.walk(request.json, fields: context.spec.request, path: "")
        if let tool = request.imageTool {
            walker.walk(.object(tool), fields: context.spec.tool, path: "tools[image_generation]")
        }
        return walker.violations
    }
}
