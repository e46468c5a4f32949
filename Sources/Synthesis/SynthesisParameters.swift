import ImageStreamSpec

/// What a request asks for, resolved to the values a real server would answer with: `auto`
/// becomes a concrete size, quality and background, absent values their defaults.
public struct SynthesisParameters: Hashable, Sendable, CustomStringConvertible {
    public var surface: String
    public var dialect: String
    /// What the dialect's server does differently, as its file in Specs/ says.
    public var settings: SpecSettings
    public var stream: Bool
    public var partialImages: Int
    public var width: Int
    public var height: Int
    public var quality: String
    public var outputFormat: OutputFormat
    public var background: String
    public var imageCount: Int
    public var model: String
    public var wantsURL: Bool
    /// Varies the pictures from request to request; the same request always gives the same bytes.
    public var seed: UInt64

    /// Reads a request the way the surface's server, in `spec`'s dialect, would. `seed` is
    /// mixed with the request's own text, so two different prompts give two different pictures.
    public init(spec: ResolvedSpec, request: RequestView, seed: UInt64 = 0) throws(SynthesisError) {
        let settings = spec.settings
        self.surface = spec.surface
        self.dialect = spec.dialect
        self.settings = settings
        self.seed = seed ^ Self.fingerprint(of: request.json)
        let asksForStream = request.isStreaming ?? false
        if asksForStream, settings.streamRequests == .refused {
            throw .unsupported("stream: true on the \(spec.dialect) dialect, which does not stream")
        }
        self.stream = asksForStream && settings.streamRequests == .stream
        self.partialImages = max(0, min(request.partialImages, ParameterRange.partialImages.upperBound))
        let sizeText = settings.ignoresSize ? Self.promptSize(request.promptText, settings: settings, seed: self.seed) : request.setting("size") ?? "auto"
        switch ImageSize(sizeText) {
        case let size? where size.beyondLargestDocumented != nil:
            // Larger images than any model makes would take seconds to make and hundreds of
            // megabytes to hold, for no case a client meets.
            throw .unsupported("size \(sizeText): \(size.beyondLargestDocumented!) (the largest documented image is 3840x2160)")
        case .pixels(let width, let height)?:
            (self.width, self.height) = (width, height)
        case .auto?:
            (self.width, self.height) = (1024, 1024)
        case nil:
            throw .unsupported("size \(sizeText) is not auto or WIDTHxHEIGHT")
        }
        let quality = request.setting("quality") ?? "auto"
        self.quality = quality == "auto" ? "medium" : quality
        let format = request.setting("output_format") ?? "png"
        guard let outputFormat = OutputFormat(rawValue: format) else { throw .unsupported("output_format \(format)") }
        self.outputFormat = outputFormat
        let background = request.setting("background") ?? "auto"
        self.background = background == "auto" ? "opaque" : background
        if self.background == "transparent", !outputFormat.supportsTransparency {
            throw .unsupported("a transparent background with \(format), which has no alpha channel")
        }
        self.imageCount = max(1, min(request.imageCount, ParameterRange.imageCount.upperBound))
        self.model = request.imageTool?["model"]?.string ?? request.fields["model"]?.string ?? "gpt-image-1"
        self.wantsURL = (request.fields["response_format"]?.string ?? settings.defaultResponseFormat) == "url"
    }

    /// Where the dialect ignores `size`: the size the prompt's words pick (the first
    /// `prompt_sizes` entry whose text the prompt contains, ignoring case), else one of
    /// `unhinted_sizes` by seed, else auto.
    static func promptSize(_ prompt: String?, settings: SpecSettings, seed: UInt64) -> String {
        let text = (prompt ?? "").lowercased()
        if let hit = settings.promptSizes.first(where: { text.contains($0.match.lowercased()) }) { return hit.size }
        guard !settings.unhintedSizes.isEmpty else { return "auto" }
        return settings.unhintedSizes[Int(seed % UInt64(settings.unhintedSizes.count))]
    }

    public var description: String {
        "\(outputFormat.rawValue) \(width)x\(height), \(partialImages) partial\(partialImages == 1 ? "" : "s"), quality \(quality), background \(background)"
    }

    /// FNV-1a of the request's canonical text: stable across runs and machines.
    static func fingerprint(of json: JSONValue) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in canonicalText(json).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func canonicalText(_ json: JSONValue) -> String {
        switch json {
        case .null: "null"
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): String(reflecting: value)
        case .array(let items): "[" + items.map(canonicalText).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.keys.sorted().map { "\(String(reflecting: $0)):\(canonicalText(fields[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}

/// A request Tapedeck cannot make a response for; says what.
public enum SynthesisError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupported(String)
    case encoding(String)

    public var description: String {
        switch self {
        case .unsupported(let what): "cannot synthesize \(what)"
        case .encoding(let why): "cannot make the image: \(why)"
        }
    }
}
