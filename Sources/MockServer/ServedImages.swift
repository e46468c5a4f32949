import Delivery
import Foundation
import ImageCodecs
import ImageStreamSpec
import Synthesis

/// The images of `response_format: url` answers. The server serves them itself, at
/// `/tapedeck/images/<format>/<W>x<H>[a]/<seed>.<ext>` (`a`: with an alpha channel), made again
/// from the path, so a URL always gives the same bytes. Synthesized bodies and cassettes carry
/// them under a placeholder origin; delivery puts in the server's own address and the
/// request's scenario (`…/s/<scenario>/tapedeck/images/…`), so the image request brings the
/// scenario back and its `url-image` faults apply.
public enum ServedImages {
    /// What synthesized bodies and cassettes say before delivery.
    public static let placeholderBase = "http://127.0.0.1/tapedeck/images"
    static let path = "/tapedeck/images/"

    /// One served image, read from its path.
    struct Address {
        var encoding: ImageEncoding
        var width: Int
        var height: Int
        var alpha: Bool
        var seed: UInt64

        /// `<format>/<W>x<H>[a]/<seed>.<ext>`, the part after `/tapedeck/images/`.
        init?(_ rest: Substring) {
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, let encoding = ImageEncoding(rawValue: String(parts[0])) else { return nil }
            alpha = parts[1].hasSuffix("a")
            guard case .pixels(let width, let height)? = ImageSize(String(alpha ? parts[1].dropLast() : parts[1])),
                  let seed = UInt64(parts[2].split(separator: ".").first ?? "") else { return nil }
            (self.encoding, self.width, self.height, self.seed) = (encoding, width, height, seed)
        }

        /// The image, or (`other-format`) the same picture in another format.
        func bytes(otherFormat: Bool) throws -> [UInt8] {
            let picture = Picture(width: width, height: height, hasAlpha: alpha, detail: Picture.finestDetail, seed: seed)
            guard otherFormat else { return try ImageCache.shared.image(picture, encoding) }
            var opaque = picture
            opaque.hasAlpha = false
            return try ImageCache.shared.image(encoding == .jpeg ? picture : opaque, encoding == .jpeg ? .png : .jpeg)
        }
    }

    /// The body with every placeholder image URL pointing at `base` (the server's address)
    /// under `scenario`, and the recorded chunks lengthened to match.
    public static func rewrite(_ body: [UInt8], chunks: [(length: Int, at: Duration)]?, base: String, scenario: Scenario) -> ([UInt8], [(length: Int, at: Duration)]?) {
        let from = Array(placeholderBase.utf8)
        let to = Array("\(base)/s/\(scenario)\(path.dropLast())".utf8)
        var output: [UInt8] = []
        var grown: [Int] = [] // where each replacement ended in the input, for the chunks
        var position = 0
        while let found = body[position...].firstRange(of: from) {
            output += body[position..<found.lowerBound]
            output += to
            position = found.upperBound
            grown.append(position)
        }
        guard !grown.isEmpty else { return (body, chunks) }
        output += body[position...]
        let delta = to.count - from.count
        var start = 0
        let adjusted = chunks.map { chunks in
            chunks.map { chunk -> (length: Int, at: Duration) in
                defer { start += chunk.length }
                let inside = grown.filter { $0 > start && $0 <= start + chunk.length }.count
                return (chunk.length + inside * delta, chunk.at)
            }
        }
        return (output, adjusted)
    }
}
