import Cassette

/// Answers requests in the server's place: a recording proxy decides, per request, whether to
/// replay a cassette (through the request's scenario, like any replay), to stream an answer
/// of its own, or to refuse. The server still reads the request and its `/s/` and `/c/`
/// prefixes, and carries out replays; it knows nothing of where streamed answers come from.
public protocol RequestInterceptor: Sendable {
    func answer(_ request: InterceptedRequest) async -> Interception
}

/// A request as the server read it.
public struct InterceptedRequest: Sendable {
    public let method: String
    /// The path and query without Tapedeck's `/s/<scenario>` and `/c/<cassette>` prefixes.
    public let path: String
    /// The surface the path serves (`images.generate`, `images.edit`, `responses`), or nil.
    public let surface: String?
    /// The cassette a `/c/<name>` prefix names.
    public let cassetteName: String?
    /// In the order received, duplicates kept.
    public let headers: [(String, String)]
    public let body: [UInt8]
    /// A multipart/form-data body read into text fields (in order) and file parts (by digest).
    public let form: (fields: [(name: String, value: String)], files: [FilePart])?
}

public enum Interception: Sendable {
    /// Deliver this cassette through the request's scenario, as `tapedeck serve` would.
    case replay(Cassette)
    /// Answer with an OpenAI-shaped error.
    case refuse(OpenAIError)
    /// Write the response as it comes. The closure owns the stream until it returns; the
    /// stream's writes block, so call them from a thread of the closure's own, not from Swift's
    /// cooperative pool.
    case stream(@Sendable (ResponseStream) async -> Void)
}
