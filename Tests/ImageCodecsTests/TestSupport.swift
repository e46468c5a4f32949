import ImageCodecs
import ImageFormats
import Testing

/// One encode to check: a format, a size, with or without alpha.
struct EncodeCase: CustomTestStringConvertible, Sendable {
    var encoding: ImageEncoding
    var width: Int
    var height: Int
    var hasAlpha: Bool = false
    var detail: Int = Picture.finestDetail
    var seed: UInt64 = 7

    var picture: Picture { Picture(width: width, height: height, hasAlpha: hasAlpha, detail: detail, seed: seed) }

    var testDescription: String {
        "\(encoding.rawValue) \(width)x\(height)\(hasAlpha ? " with alpha" : "")\(detail == Picture.finestDetail ? "" : " detail \(detail)")"
    }
}

/// The same picture twice gives the same bytes; the label names what differs.
struct Variation: CustomTestStringConvertible, Sendable {
    var label: String
    var first: Picture
    var second: Picture
    var testDescription: String { label }
}

/// Mean absolute difference per byte between two equally long pixel buffers.
func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
    precondition(a.count == b.count)
    var total = 0
    for i in a.indices { total += abs(Int(a[i]) - Int(b[i])) }
    return Double(total) / Double(max(a.count, 1))
}

/// A short summary of an inspection's problems, for failure messages.
func describe(_ inspection: ImageInspection) -> String {
    let format = inspection.format.map(\.rawValue) ?? "unknown"
    let size = "\(inspection.width.map(String.init) ?? "?")x\(inspection.height.map(String.init) ?? "?")"
    return "\(format) \(size), alpha \(inspection.hasAlpha.map(String.init) ?? "?"), problems \(inspection.problems)"
}
