import Cassette
import Foundation
import ImageCodecs

/// Real images on disk for the file parts an edit uploads: a cassette keeps only their
/// description, so the suite makes one image per content type and reuses it.
public final class UploadFiles: @unchecked Sendable {
    private let directory: String
    private var made: [String: String] = [:]
    private let lock = NSLock()

    public init(directory: String) {
        self.directory = directory
    }

    func uploads(for parts: [FilePart]) throws(HarnessError) -> [ClientRequest.Upload] {
        var uploads: [ClientRequest.Upload] = []
        for part in parts {
            let path = try file(contentType: part.contentType)
            uploads.append(.init(field: part.name, path: path, contentType: part.contentType, filename: part.filename))
        }
        return uploads
    }

    /// A real image of the content type (PNG unless it names JPEG or WebP) in the folder, made once.
    public func file(contentType: String) throws(HarnessError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = made[contentType] { return path }
        let encoding: ImageEncoding = contentType.contains("jpeg") ? .jpeg : contentType.contains("webp") ? .webp : .png
        let path = "\(directory)/upload.\(encoding.rawValue)"
        do {
            let bytes = try ImageEncoder.encode(Picture(width: 256, height: 256, hasAlpha: encoding == .png, detail: 3, seed: 1), as: encoding)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw HarnessError.io("cannot write \(path)") }
        } catch {
            throw .io("cannot make an upload image at \(path): \(error)")
        }
        made[contentType] = path
        return path
    }
}
