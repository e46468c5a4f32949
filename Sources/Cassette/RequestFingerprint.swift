extension RecordedRequest {
    /// Twelve hex digits of SHA-256 over what makes one request another: the method, the path
    /// and query, and the body's fields (a JSON body's canonical text, keys sorted, no spaces;
    /// or a form's text fields in order and each file part's field name and SHA-256).
    ///
    /// Headers are left out: they carry keys, SDK versions and request IDs that change from one
    /// run to the next while the request stays the same. The request is taken as recorded, so
    /// secrets are already redacted and a request fingerprints the same whichever key sent it.
    public var fingerprint: String {
        var text = method.uppercased() + "\n" + path + "\n"
        switch body {
        case .none:
            break
        case .json(let sent):
            text += (try? JSON.parse(sent).canonicalText) ?? sent
        case .form(let fields, let files):
            for field in fields { text += "field \(field.name)=\(field.value)\n" }
            for file in files { text += "file \(file.name) \(file.sha256)\n" }
        }
        return String(Digest.sha256Hex(Array(text.utf8)[...]).prefix(12))
    }
}

extension Cassette {
    /// The name a recording proxy gives the cassette of a request: its surface with dots as
    /// dashes, then the request's fingerprint, e.g. `images-generate-3fa91c0b52de`.
    public static func name(surface: String, request: RecordedRequest) -> String {
        surface.replacing(".", with: "-") + "-" + request.fingerprint
    }
}
