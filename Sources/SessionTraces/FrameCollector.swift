import Foundation
import ImageCodecs
import ImageFormats
import Reports

/// The filmstrip being built: each image decoded from base64, inspected, judged, and given a
/// thumbnail while the budget lasts.
struct FrameCollector {
    let thumbnails: ThumbnailPolicy
    private(set) var frames: [ImageFrame] = []
    private var thumbnailBytes = 0
    private var partialCount = 0
    private var finalCount = 0

    init(thumbnails: ThumbnailPolicy) {
        self.thumbnails = thumbnails
    }

    mutating func add(_ payload: ImagePayload, time: Double) {
        let role: ImageFrame.Role
        let index: Int
        switch payload.role {
        case .partial:
            role = .partial
            index = payload.index ?? partialCount
            partialCount += 1
        case .final:
            role = .final
            index = payload.index ?? finalCount
            finalCount += 1
        }
        let (bytes, base64Problem) = Self.decodeBase64(payload.base64)
        guard !bytes.isEmpty else {
            frames.append(ImageFrame(role: role, index: index, format: nil, width: nil, height: nil, time: time,
                                     status: .corrupt, problem: base64Problem ?? "no image bytes", byteCount: 0))
            return
        }
        let inspection = ImageInspector.inspect(bytes)
        let status = Self.status(of: inspection)
        let problem = base64Problem ?? inspection.problems.first?.description
        var frame = ImageFrame(role: role, index: index, format: inspection.format?.rawValue,
                               width: inspection.width, height: inspection.height, time: time, status: status,
                               problem: status == .ok ? nil : problem, byteCount: bytes.count)
        if status == .ok { frame.thumbnail = thumbnail(of: bytes) }
        frames.append(frame)
    }

    /// A `missing` frame for each final image short of `expected`.
    mutating func addMissingFinals(upTo expected: Int, time: Double) {
        while finalCount < expected {
            frames.append(ImageFrame(role: .final, index: finalCount, format: nil, width: nil, height: nil, time: time,
                                     status: .missing, problem: "the response ended without this final image", byteCount: 0))
            finalCount += 1
        }
    }

    private mutating func thumbnail(of bytes: [UInt8]) -> String? {
        guard case .scaled(let maxSide, let byteBudget) = thumbnails, thumbnailBytes < byteBudget,
              let png = Thumbnail.png(ofEncoded: bytes, maxSide: maxSide) else { return nil }
        let url = "data:image/png;base64," + Data(png).base64EncodedString()
        guard thumbnailBytes + url.utf8.count <= byteBudget else { return nil }
        thumbnailBytes += url.utf8.count
        return url
    }

    /// Truncated when the bytes stop before the image does; corrupt for anything else wrong.
    static func status(of inspection: ImageInspection) -> ImageFrame.Status {
        if inspection.isComplete { return .ok }
        let endsEarly = inspection.problems.contains { problem in
            switch problem {
            case .truncated, .missingEnd, .compressedDataIncomplete, .imageDataTooShort: true
            default: false
            }
        }
        return endsEarly && inspection.format != nil ? .truncated : .corrupt
    }

    /// The decoded bytes, and what was wrong with the text. Text cut inside a four-character
    /// group is decoded up to the cut (the image then shows as truncated).
    static func decodeBase64(_ text: String) -> (bytes: [UInt8], problem: String?) {
        if let data = Data(base64Encoded: text) { return ([UInt8](data), nil) }
        let whole = text.utf8.count - text.utf8.count % 4
        if whole < text.utf8.count, let data = Data(base64Encoded: String(decoding: text.utf8.prefix(whole), as: UTF8.self)) {
            return ([UInt8](data), "the base64 text ends inside a four-character group")
        }
        return ([], "the payload is not valid base64")
    }
}
