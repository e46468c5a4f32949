/// Checks that only some dialects' rules use.
enum DialectChecks {
    static let all: [Check] = [
        Check("done-sentinel-present") { context in
            guard context.trace.isStream, !context.trace.events.isEmpty, context.trace.doneIndex == nil else { return [] }
            return [Violation(.stream, "the stream ends without data: [DONE], which the \(context.spec.dialect) dialect documents", expected: "data: [DONE]", actual: "none")]
        },
        Check("input-images-are-data-urls") { context in
            guard let input = context.request?.fields["input"]?.array else { return [] }
            var violations: [Violation] = []
            for (messageIndex, message) in input.enumerated() {
                for (partIndex, part) in (message["content"]?.array ?? []).enumerated() where part["type"]?.string == "input_image" {
                    let url = part["image_url"]?.string ?? ""
                    guard !(url.hasPrefix("data:image/") && url.contains(";base64,")) else { continue }
                    violations.append(Violation(.request, "input[\(messageIndex)].content[\(partIndex)].image_url is not a data URL", expected: "data:image/png;base64,…", actual: WireChecks.preview(url, limit: 40)))
                }
            }
            return violations
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
