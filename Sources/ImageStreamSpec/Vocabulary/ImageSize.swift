/// An image size as the APIs write it: `auto`, or `WIDTHxHEIGHT`.
public enum ImageSize: Hashable, Sendable, CustomStringConvertible {
    case auto
    case pixels(width: Int, height: Int)

    /// The sizes every GPT image model accepts.
    public static let standard: [ImageSize] = [
        .pixels(width: 1024, height: 1024), .pixels(width: 1536, height: 1024), .pixels(width: 1024, height: 1536),
    ]

    /// Parses `auto` or `WIDTHxHEIGHT`; anything else is nil (a finding, never a crash).
    public init?(_ text: String) {
        if text == "auto" {
            self = .auto
            return
        }
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && !$0.hasPrefix("+") }) else { return nil }
        self = .pixels(width: width, height: height)
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .pixels(let width, let height): "\(width)x\(height)"
        }
    }

    /// Why `model` would refuse this size, or nil when it accepts it or is not a model whose
    /// sizes are documented (spec-facts §1.5, the model-to-size matrix).
    public func refusal(byModel model: String) -> String? {
        let fixed: [ImageSize]
        switch model {
        case "dall-e-2":
            fixed = [.pixels(width: 256, height: 256), .pixels(width: 512, height: 512), .pixels(width: 1024, height: 1024)]
        case "dall-e-3":
            fixed = [.pixels(width: 1024, height: 1024), .pixels(width: 1792, height: 1024), .pixels(width: 1024, height: 1792)]
        case "gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "chatgpt-image-latest":
            fixed = [.auto] + Self.standard
        case let name where name.hasPrefix("gpt-image-2") && name != "gpt-image-2-all":
            return gptImage2Refusal
        default:
            return nil
        }
        return fixed.contains(self) ? nil : "\(model) takes \(fixed.map(\.description).joined(separator: ", "))"
    }

    /// Why gpt-image-2 would refuse this size, or nil when it accepts it: both sides multiples
    /// of 16, aspect ratio between 1:3 and 3:1, no edge over 3840 pixels.
    public var gptImage2Refusal: String? {
        guard case .pixels(let width, let height) = self else { return nil }
        if width % 16 != 0 || height % 16 != 0 { return "both sides must be multiples of 16" }
        if width > 3 * height || height > 3 * width { return "the aspect ratio must be between 1:3 and 3:1" }
        return beyondLargestDocumented
    }

    /// The largest image any documented model makes: gpt-image-2's 3840x2160 (spec-facts §1.5, §8).
    public static let largestEdge = 3840
    public static let largestPixelCount = 3840 * 2160

    /// Why no documented model makes an image this large, or nil: an edge over 3840 pixels,
    /// or more pixels than 3840x2160.
    public var beyondLargestDocumented: String? {
        guard case .pixels(let width, let height) = self else { return nil }
        if max(width, height) > Self.largestEdge { return "no edge may exceed \(Self.largestEdge) pixels" }
        if width * height > Self.largestPixelCount {
            return "no image may have more pixels than 3840x2160"
        }
        return nil
    }
}
