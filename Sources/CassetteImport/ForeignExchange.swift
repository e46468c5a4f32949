import Cassette

/// One request and its response as another tool kept them, before they become a cassette.
public struct ForeignExchange: Sendable {
    public var method: String
    /// The full URL, as the other tool wrote it.
    public var url: String
    public var requestHeaders: [Header]
    /// The request body's bytes as sent (empty for none).
    public var requestBody: [UInt8]
    /// Multipart fields and files when the tool kept them already parsed (HAR's `params`).
    public var parsedForm: (fields: [(name: String, value: String)], files: [FilePart])?
    public var status: Int
    public var responseHeaders: [Header]
    /// The response body's bytes, without any content encoding.
    public var responseBody: [UInt8]
    /// When the exchange started (ISO 8601), when the file says so.
    public var startedAt: String?
    /// When the body had arrived, from the request's start, when the file says so.
    public var bodyArrived: Duration?
    /// Where in the file it was: `interactions[2]`, `log.entries[0]`.
    public var place: String

    public init(method: String, url: String, requestHeaders: [Header], requestBody: [UInt8], parsedForm: (fields: [(name: String, value: String)], files: [FilePart])? = nil,
                status: Int, responseHeaders: [Header], responseBody: [UInt8], startedAt: String? = nil, bodyArrived: Duration? = nil, place: String) {
        self.method = method
        self.url = url
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.parsedForm = parsedForm
        self.status = status
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.startedAt = startedAt
        self.bodyArrived = bodyArrived
        self.place = place
    }
}

/// The recording formats `tapedeck cassette import` reads.
public enum ForeignFormat: String, CaseIterable, Sendable {
    /// vcrpy's cassettes (pytest-recording, pytest-vcr), YAML or JSON: `{interactions: [{request, response}], version: 1}`.
    case vcrpy
    /// HTTP Archive 1.2 (browsers' devtools, mitmproxy, Charles): `{log: {entries: [{request, response}]}}`.
    case har

    /// The format of a file's text, by its top-level keys; nil when it is neither.
    public static func detect(_ text: String) -> ForeignFormat? {
        let head = text.prefix(4096)
        if head.contains("\"log\"") && text.contains("\"entries\"") { return .har }
        if head.contains("interactions") { return .vcrpy }
        return nil
    }
}
