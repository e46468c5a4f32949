import Cassette
import Foundation
import ImageCodecs
import ImageFormats
import SSEWire

/// Replaces a cassette's image payloads by small real images of the same format, pixel size
/// and alpha, so suites of cassettes stay small in git and still pass every check. Chunk
/// boundaries and times are kept: a boundary inside a payload moves to the same relative
/// place in the new one.
public enum CassetteSlimmer {
    /// The JSON members that carry base64 images on the documented surfaces.
    static let payloadKeys = ["\"b64_json\":\"", "\"partial_image_b64\":\"", "\"result\":\""]

    public struct Outcome: Sendable {
        public var cassette: Cassette
        public var replaced: Int
        public var bytesBefore: Int
        public var bytesAfter: Int
    }

    public static func slim(_ cassette: Cassette) throws(SynthesisError) -> Outcome {
        let body = cassette.response.recording.bytes
        var replacements: [(range: Range<Int>, bytes: [UInt8])] = []
        // Equal payloads get equal small images, different ones different pictures, so a client
        // that presents a preview as the final image still shows on a slimmed cassette. In body
        // order, each new payload is a finer mosaic of one landscape (the cassette's own), the
        // last the finest: previews that progress toward the final image, as real ones do.
        var ordinals: [ArraySlice<UInt8>: Int] = [:]
        let ranges = payloadRanges(in: body)
        for range in ranges where ordinals[body[range]] == nil {
            ordinals[body[range]] = ordinals.count
        }
        let scene = sceneSeed(cassette.name)
        for range in ranges {
            let ordinal = ordinals[body[range]]!
            let progress = Progress(step: ordinal, of: ordinals.count, seed: scene)
            if let replacement = try slimPayload(body[range], progress: progress) {
                replacements.append((range, replacement))
            }
        }
        guard !replacements.isEmpty else {
            return Outcome(cassette: cassette, replaced: 0, bytesBefore: body.count, bytesAfter: body.count)
        }
        var newBody: [UInt8] = []
        newBody.reserveCapacity(body.count)
        var position = 0
        for replacement in replacements {
            newBody.append(contentsOf: body[position..<replacement.range.lowerBound])
            newBody.append(contentsOf: replacement.bytes)
            position = replacement.range.upperBound
        }
        newBody.append(contentsOf: body[position...])

        var slimmed = cassette
        let (ends, times) = remap(chunkEnds: cassette.response.recording.chunkEnds, times: cassette.response.chunkTimes, replacements: replacements, newCount: newBody.count)
        do {
            slimmed.response.recording = try SSERecording(bytes: newBody, chunkEnds: ends)
        } catch {
            throw .encoding("the slimmed chunks do not cover the body: \(error)")
        }
        slimmed.response.chunkTimes = times
        return Outcome(cassette: slimmed, replaced: replacements.count, bytesBefore: body.count, bytesAfter: newBody.count)
    }

    /// The byte ranges of every payload string's contents.
    static func payloadRanges(in body: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let keys = payloadKeys.map { Array($0.utf8) }
        var index = 0
        while index < body.count {
            guard body[index] == UInt8(ascii: "\""), let key = keys.first(where: { body[index...].starts(with: $0) }) else {
                index += 1
                continue
            }
            let start = index + key.count
            guard let end = body[start...].firstIndex(of: UInt8(ascii: "\"")) else { break }
            if end - start >= 64 { ranges.append(start..<end) }
            index = end + 1
        }
        return ranges
    }

    /// Where a payload stands among a cassette's distinct payloads, and the landscape they share.
    struct Progress {
        var step: Int
        var of: Int
        var seed: UInt64

        /// Blocks across: 64 for the last payload, half as many for each one before it (at least 4).
        var columns: Int { max(4, CassetteSlimmer.finalColumns >> max(0, of - 1 - step)) }
    }

    /// Blocks across the finest mosaic: a thumbnail shows it as the picture, and a 1024-pixel
    /// PNG of it is a few kilobytes.
    static let finalColumns = 64

    /// A seed from the cassette's name (FNV-1a), so each cassette has a landscape of its own.
    static func sceneSeed(_ name: String) -> UInt64 {
        name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// A mosaic of the payload's format and size (`progress` says how fine), encoded as the
    /// payload was (raw base64 or a data URL), and cut short when the original was; nil when the
    /// payload is not an image Tapedeck can read.
    static func slimPayload(_ text: ArraySlice<UInt8>, progress: Progress = Progress(step: 0, of: 1, seed: 0)) throws(SynthesisError) -> [UInt8]? {
        var prefix: [UInt8] = []
        var base64 = text
        if text.starts(with: Array("data:".utf8)), let comma = text.firstIndex(of: UInt8(ascii: ",")) {
            prefix = Array(text[...comma])
            base64 = text[(comma + 1)...]
        }
        guard let decoded = Data(base64Encoded: Data(base64)) else { return nil }
        let inspection = ImageInspector.inspect(decoded)
        guard let format = inspection.format, let width = inspection.width, let height = inspection.height else { return nil }
        let encoding: ImageEncoding = switch format {
        case .png: .png
        case .jpeg: .jpeg
        case .webp: .webp
        }
        let picture = Picture.mosaic(width: width, height: height, hasAlpha: inspection.hasAlpha == true && encoding != .jpeg,
                                     columns: progress.columns, seed: progress.seed)
        let image: [UInt8]
        do {
            image = try ImageEncoder.encode(picture, as: encoding)
        } catch {
            throw .encoding(String(describing: error))
        }
        var encoded = Array(Data(image).base64EncodedString().utf8)
        if !inspection.isComplete {
            // Keep the defect: a cut image stays cut, at half the mosaic's length.
            encoded = Array(encoded.prefix(encoded.count / 8 * 4))
        }
        let replacement = prefix + encoded
        return replacement.count < text.count ? replacement : nil
    }

    /// Moves every chunk end through the replacements; ends that collapse onto each other
    /// merge, keeping the later arrival time.
    static func remap(chunkEnds: [Int], times: [Duration], replacements: [(range: Range<Int>, bytes: [UInt8])], newCount: Int) -> ([Int], [Duration]) {
        var ends: [Int] = []
        var newTimes: [Duration] = []
        for (end, time) in zip(chunkEnds, times) {
            var shift = 0
            var mapped: Int?
            for replacement in replacements {
                if end >= replacement.range.upperBound {
                    shift += replacement.bytes.count - replacement.range.count
                } else if end > replacement.range.lowerBound {
                    let fraction = Double(end - replacement.range.lowerBound) / Double(replacement.range.count)
                    mapped = replacement.range.lowerBound + shift + Int(fraction * Double(replacement.bytes.count))
                    break
                } else {
                    break
                }
            }
            let newEnd = min(newCount, mapped ?? end + shift)
            if let last = ends.last, newEnd <= last {
                newTimes[newTimes.count - 1] = time
                continue
            }
            ends.append(newEnd)
            newTimes.append(time)
        }
        if let last = ends.last, last < newCount {
            ends[ends.count - 1] = newCount
        }
        return (ends, newTimes)
    }
}
