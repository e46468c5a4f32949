/// Checks that only some dialects' rules use.
enum DialectChecks {
    static let all: [Check] = [
        Check("done-sentinel-present") { context in
            guard context.trace.isStream, !context.trace.events.isEmpty, context.trace.doneIndex == nil else { return [] }
            return [Violation(.stream, "the stream ends without data: [DONE], which the \(context.spec.dialect) dialect documents", expected: "data: [DONE]", actual: "none")]
        },
        Check("input-images-are-data-urls") { context in
            guard let request = context.request else { return [] }
            var references: [(path: String, url: String)] = []
            for (messageIndex, message) in (request.fields["input"]?.array ?? []).enumerated() {
                for (partIndex, part) in (message["content"]?.array ?? []).enumerated() where part["type"]?.string == "input_image" {
                    references.append(("input[\(messageIndex)].content[\(partIndex)].image_url", part["image_url"]?.string ?? ""))
                }
            }
            for (index, reference) in (request.fields["reference_images"]?.array ?? []).enumerated() {
                references.append(("reference_images[\(index)]", reference.string ?? reference.typeName))
            }
            return references.compactMap { path, url in
                guard !(url.hasPrefix("data:image/") && url.contains(";base64,")) else { return nil }
                return Violation(.request, "\(path) is not a data URL", expected: "data:image/png;base64,…", actual: WireChecks.preview(url, limit: 40))
            }
        },
        Check("request-prompt-present") { context in
            guard let request = context.request else { return [] }
            guard (request.promptText ?? "").isEmpty else { return [] }
            return [Violation(.request, "the request has no prompt: neither input text nor a prompt field", expected: "input or prompt", actual: "none")]
        },
        Check("body-revised-prompt") { context in
            guard context.spec.settings.revisedPrompt, let data = context.imagesBody?["data"]?.array else { return [] }
            return data.enumerated().compactMap { index, item in
                guard item["revised_prompt"]?.string == nil else { return nil }
                return Violation(.body, "data[\(index)] has no revised_prompt, which the \(context.spec.dialect) dialect's answers carry", expected: "revised_prompt", actual: "none")
            }
        },
        Check("payload-follows-prompt-size") { context in
            let settings = context.spec.settings
            let prompt = (context.request?.promptText ?? "").lowercased()
            guard let hint = settings.promptSizes.first(where: { prompt.contains($0.match.lowercased()) }),
                  case .pixels(let width, let height)? = ImageSize(hint.size) else { return [] }
            return context.trace.payloads.compactMap { payload in
                guard case .success(let inspection) = payload.decoded, let actualWidth = inspection.width, let actualHeight = inspection.height,
                      actualHeight > 0 else { return nil }
                // Proportions, not pixels: the server picks its own dimensions for a ratio.
                let asked = Double(width) / Double(height), got = Double(actualWidth) / Double(actualHeight)
                guard abs(got - asked) / asked > 0.03 else { return nil }
                return Violation(payload.location, "\(payload.fieldPath) is \(actualWidth)x\(actualHeight), but the prompt asks for \(hint.match) (\(hint.size))", expected: "proportions of \(hint.size)", actual: "\(actualWidth)x\(actualHeight)")
            }
        },
        Check("body-single-image-one-form") { context in
            guard let data = context.imagesBody?["data"]?.array else { return [] }
            var violations: [Violation] = []
            if data.count != 1 {
                violations.append(Violation(.body, "data has \(data.count) images; this endpoint returns exactly one", expected: "1", actual: "\(data.count)"))
            }
            for (index, item) in data.enumerated() where item["b64_json"] != nil && item["url"] != nil {
                violations.append(Violation(.body, "data[\(index)] has both b64_json and url", expected: "one of them", actual: "both"))
            }
            return violations
        },
    ]
}
