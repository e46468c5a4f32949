import Foundation
import ImageCodecs
import Reports
import Testing

/// The bundled cassettes' filmstrips, as the page shows them: previews that are pictures, and
/// that come closer to the final image one after the other.
@Suite("Filmstrips of the bundled cassettes")
struct FilmstripTests {
    static let cassettes = ["images-generate-png-partial-3", "responses-jpeg-partial-2", "images-generate-webp-partial-2", "responses-aiswing-4k-portrait"]

    @Test("each preview is a picture, not a flat square, and each is closer to the final image than the one before", arguments: cassettes)
    func previewsProgress(name: String) throws {
        let result = try ReportFixtures.result(name, verdict: .pass)
        let frames = try #require(result.trace?.images)
        let thumbnails = try frames.map { frame in
            let url = try #require(frame.thumbnail, "\(frame.role.rawValue) \(frame.index) has a thumbnail")
            let bytes = try #require(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count))))
            return try #require(ImageDecoder.decode([UInt8](bytes)))
        }
        #expect(frames.map(\.role.rawValue).last == "final")
        #expect(frames.count >= 3)
        for thumbnail in thumbnails {
            #expect(thumbnail.distinctColourCount() >= 12, "a landscape, not one colour")
        }
        let final = thumbnails.last!
        let distances = thumbnails.dropLast().map { Self.distance($0, final) }
        #expect(distances.allSatisfy { $0 > 0 }, "every preview differs from the final image")
        #expect(distances == distances.sorted(by: >), "previews come closer to the final image: \(distances)")
    }

    /// Mean absolute difference per channel, of two images of one size.
    static func distance(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        guard a.width == b.width, a.height == b.height else { return .infinity }
        let total = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(a.pixels.count)
    }
}
