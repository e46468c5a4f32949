/// A multipart/form-data request: text fields, and files sent from disk.
public struct FormBody: Sendable {
    public var fields: [(name: String, value: String)]
    public var files: [(name: String, path: String, contentType: String)]

    public init(fields: [(name: String, value: String)] = [], files: [(name: String, path: String, contentType: String)] = []) {
        self.fields = fields
        self.files = files
    }

    /// The content type a file part gets from its extension.
    public static func contentType(forPath path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        default: "application/octet-stream"
        }
    }
}
