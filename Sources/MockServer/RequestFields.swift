import Cassette
import ImageStreamSpec
import MultipartKit
import NIOCore

/// A request body read into the fields a surface's schema checks: a JSON object, or for
/// `multipart/form-data` (as the official SDKs send image edits) the text parts as strings,
/// with the file parts counted but not kept.
struct RequestFields: Sendable {
    let json: JSONValue
    /// File parts of a multipart body: field name, file name, content type, size in bytes, and
    /// the first bytes (enough to tell the image format).
    let files: [(name: String, filename: String, contentType: String, size: Int, leadingBytes: [UInt8])]
    /// A multipart body as a cassette keeps it: text fields in order, file parts by digest.
    var form: (fields: [(name: String, value: String)], files: [FilePart])? = nil
    /// Whether the body was a multipart form: its fields are strings that stand for numbers.
    var isForm: Bool { form != nil }

    enum Failure: Error {
        case invalidJSON(String)
        case notAnObject(String)
        case invalidMultipart(String)
        case unsupportedContentType(String)
    }

    static func parse(_ body: ByteBuffer, contentType: String?) throws(Failure) -> RequestFields {
        let type = (contentType ?? "application/json").lowercased()
        if type.hasPrefix("multipart/form-data") {
            return try parseMultipart(body, contentType: contentType ?? "")
        }
        guard type.hasPrefix("application/json") || type.hasPrefix("text/plain") || contentType == nil else {
            throw .unsupportedContentType(contentType ?? "")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(body.readableBytesView)
        } catch {
            throw .invalidJSON(error.reason)
        }
        guard json.object != nil else { throw .notAnObject(json.typeName) }
        return RequestFields(json: json, files: [])
    }

    private static func parseMultipart(_ body: ByteBuffer, contentType: String) throws(Failure) -> RequestFields {
        guard let boundary = contentType.split(separator: ";").lazy.map({ $0.trimming(" ") })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
            throw .invalidMultipart("the Content-Type has no boundary")
        }
        // RFC 2046 §5.1.1: a boundary is 1 to 70 characters. The parser traps on an empty one,
        // and one bad request must never take the server down.
        let delimiter = String(boundary).trimming("\"")
        guard (1...70).contains(delimiter.utf8.count) else {
            throw .invalidMultipart("the Content-Type's boundary must be 1 to 70 characters (RFC 2046 §5.1.1); got \(delimiter.isEmpty ? "an empty one" : "\(delimiter.utf8.count)")")
        }
        let parser = MultipartParser(boundary: delimiter)
        var fields: [String: JSONValue] = [:]
        var files: [(name: String, filename: String, contentType: String, size: Int, leadingBytes: [UInt8])] = []
        var orderedFields: [(name: String, value: String)] = []
        var fileParts: [FilePart] = []
        var headers: [(String, String)] = []
        var partBody = ByteBuffer()
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in partBody.writeBuffer(&buffer) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            let name = Self.parameter("name", in: disposition) ?? ""
            if let filename = Self.parameter("filename", in: disposition) {
                let contentType = headers.first { $0.0 == "content-type" }?.1 ?? "application/octet-stream"
                files.append((name, filename, contentType, partBody.readableBytes, Array(partBody.readableBytesView.prefix(32))))
                fileParts.append(FilePart(name: name, filename: filename, contentType: contentType, contents: Array(partBody.readableBytesView)))
            } else {
                let value = String(decoding: partBody.readableBytesView, as: UTF8.self)
                fields[name] = .string(value)
                orderedFields.append((name, value))
            }
            headers = []
            partBody.clear()
        }
        do {
            try parser.execute(body)
        } catch {
            throw .invalidMultipart(String(describing: error))
        }
        return RequestFields(json: .object(fields), files: files, form: (orderedFields, fileParts))
    }

    /// `name="value"` (or unquoted) in a Content-Disposition header.
    private static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimming(" ")
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            return String(trimmed.dropFirst(key.count + 1)).trimming("\"")
        }
        return nil
    }
}

extension StringProtocol {
    func trimming(_ characters: Character) -> String {
        var text = Substring(self)
        while text.first == characters { text.removeFirst() }
        while text.last == characters { text.removeLast() }
        return String(text)
    }
}
