/// Token arithmetic of the images usage object (completed events and JSON bodies).
enum UsageChecks {
    static let all: [Check] = [
        Check("usage-total") { context in
            usages(context).compactMap { location, usage in
                guard let input = usage["input_tokens"]?.integer, let output = usage["output_tokens"]?.integer,
                      let total = usage["total_tokens"]?.integer, total != input + output else { return nil }
                return Violation(location, "usage.total_tokens is \(total), but input_tokens \(input) + output_tokens \(output) = \(input + output)", expected: "\(input + output)", actual: "\(total)")
            }
        },
        Check("usage-input-details") { context in
            usages(context).compactMap { location, usage in
                guard let input = usage["input_tokens"]?.integer, let details = usage["input_tokens_details"],
                      let image = details["image_tokens"]?.integer, let text = details["text_tokens"]?.integer,
                      input != image + text else { return nil }
                return Violation(location, "usage.input_tokens is \(input), but image_tokens \(image) + text_tokens \(text) = \(image + text)", expected: "\(image + text)", actual: "\(input)")
            }
        },
    ]

    private static func usages(_ context: CheckContext) -> [(Finding.Location, JSONValue)] {
        var found: [(Finding.Location, JSONValue)] = context.events(playing: .completed).compactMap { event in
            event.json?["usage"].map { (Finding.Location.event(index: event.index), $0) }
        }
        if let usage = context.imagesBody?["usage"] { found.append((.body, usage)) }
        return found
    }
}
