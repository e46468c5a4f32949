import Foundation
import ImageFormats

/// The image behind a `response_format: url` answer, fetched and checked: the runner judges
/// the image a URL leads to, not the URL's text, and so does the reference client.
enum ServedImageCheck {
    enum Outcome: Sendable {
        case image([UInt8])
        case broken(String)
    }

    /// Fetches `url` (plain HTTP, as the mock server serves its images) and checks the bytes
    /// are a whole image of the format the URL's extension names.
    static func fetch(_ url: String, timeout: Double) -> Outcome {
        var status = 0
        var body: [UInt8] = []
        do {
            let ending = try LoopbackHTTP(timeout: timeout).exchange(
                method: "GET", url: url, headers: [], body: [],
                onHead: { status = $0.status }, onBody: { body += $0; return true }
            )
            guard ending == .complete else { return .broken("the image at \(url) did not arrive whole (\(ending))") }
        } catch {
            return .broken("the image at \(url) could not be fetched: \(error)")
        }
        guard status == 200 else { return .broken("the image at \(url) answers HTTP \(status)") }
        let inspection = ImageInspector.inspect(body)
        guard inspection.isComplete, let format = inspection.format else {
            return .broken("the image at \(url) is not a whole image: \(inspection.problems.first.map { "\($0)" } ?? "unknown format")")
        }
        let named = URL(string: url)?.pathExtension.lowercased() ?? ""
        if !named.isEmpty, ImageFormat(fileExtension: named).map({ $0 != format }) == true {
            return .broken("the image at \(url) is a \(format.rawValue.uppercased()), not the \(named) its URL names")
        }
        return .image(body)
    }

    /// Fetches off the cooperative pool: the HTTP client blocks.
    static func fetchDetached(_ url: String, timeout: Double) async -> Outcome {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: fetch(url, timeout: timeout)) }
        }
    }
}
