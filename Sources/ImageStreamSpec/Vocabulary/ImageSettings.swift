/// The image settings a request names and an event echoes. Unknown values parse to nil,
/// which validation reports as a finding.

public enum ImageQuality: String, CaseIterable, Hashable, Sendable {
    case auto, low, medium, high, standard, hd, xhigh, max
}

public enum OutputFormat: String, CaseIterable, Hashable, Sendable {
    case png, jpeg, webp

    /// Only these keep an alpha channel.
    public var supportsTransparency: Bool { self != .jpeg }

    public var mimeType: String { "image/\(rawValue)" }
}

public enum ImageBackground: String, CaseIterable, Hashable, Sendable {
    case auto, transparent, opaque
}

public enum Moderation: String, CaseIterable, Hashable, Sendable {
    case auto, low
}

public enum InputFidelity: String, CaseIterable, Hashable, Sendable {
    case high, low
}

public enum ResponseFormat: String, CaseIterable, Hashable, Sendable {
    case url
    case b64JSON = "b64_json"
}

/// The documented ranges of numeric parameters.
public enum ParameterRange {
    /// `partial_images`: how many previews a stream may send before the final image.
    public static let partialImages = 0...3
    /// `output_compression`, in percent, for jpeg and webp.
    public static let outputCompression = 0...100
    /// `n`: images per request.
    public static let imageCount = 1...10
}

/// Token usage, as the completed event and the JSON body report it.
public struct ImageUsage: Hashable, Sendable {
    public var inputTokens: Int
    public var inputImageTokens: Int?
    public var inputTextTokens: Int?
    public var outputTokens: Int
    /// Only on non-streaming bodies.
    public var outputImageTokens: Int?
    public var outputTextTokens: Int?
    public var totalTokens: Int

    public init(inputTokens: Int, inputImageTokens: Int? = nil, inputTextTokens: Int? = nil, outputTokens: Int, outputImageTokens: Int? = nil, outputTextTokens: Int? = nil, totalTokens: Int) {
        self.inputTokens = inputTokens
        self.inputImageTokens = inputImageTokens
        self.inputTextTokens = inputTextTokens
        self.outputTokens = outputTokens
        self.outputImageTokens = outputImageTokens
        self.outputTextTokens = outputTextTokens
        self.totalTokens = totalTokens
    }

    /// Reads a `usage` object; nil when its counts are missing or not integers.
    public init?(_ json: JSONValue) {
        guard let input = json["input_tokens"]?.integer, let output = json["output_tokens"]?.integer,
              let total = json["total_tokens"]?.integer else { return nil }
        self.init(
            inputTokens: input,
            inputImageTokens: json["input_tokens_details"]?["image_tokens"]?.integer,
            inputTextTokens: json["input_tokens_details"]?["text_tokens"]?.integer,
            outputTokens: output,
            outputImageTokens: json["output_tokens_details"]?["image_tokens"]?.integer,
            outputTextTokens: json["output_tokens_details"]?["text_tokens"]?.integer,
            totalTokens: total
        )
    }
}
