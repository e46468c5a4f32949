import Cassette
import MultipartKit
import NIOCore

/// A multipart/form-data request body (as the SDKs send image edits) split into the cassette's
/// form: text fields in order, file parts described by size and SHA-256.
enum FormParts {
    static func parse(_ body: [UInt8], contentType: String) -> (fields: [(name: String, value: String)], files: [FilePart])? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = contentType.split(separator: ";").lazy.map({ $0.trimmingSpaces })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else { return nil }
        var delimiter = Substring(boundary)
        if delimiter.hasPrefix("\""), delimiter.hasSuffix("\""), delimiter.count >= 2 { delimiter = delimiter.dropFirst().dropLast() }
        // RFC 2046 §5.1.1: 1 to 70 characters; the parser traps on an empty one.
        guard (1...70).contains(delimiter.utf8.count) else { return nil }
        let parser = MultipartParser(boundary: String(delimiter))
        var fields: [(name: String, value: String)] = []
        var files: [FilePart] = []
        var headers: [(String, String)] = []
        var part: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in part.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            let name = parameter("name", in: disposition) ?? ""
            if let filename = parameter("filename", in: disposition) {
                let type = headers.first { $0.0 == "content-type" }?.1 ?? "application/octet-stream"
                files.append(FilePart(name: name, filename: filename, contentType: type, contents: part))
            } else {
                fields.append((name, String(decoding: part, as: UTF8.self)))
            }
            headers = []
            part = []
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        return (fields, files)
    }

    /// `name="value"` (or unquoted) in a Content-Disposition header.
    private static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingSpaces
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            var value = Substring(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }
}
