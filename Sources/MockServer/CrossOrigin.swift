import NIOHTTP1

/// Browsers as clients: a page at any origin may call the server and read every answer, so a
/// web client is tested in a plain browser, without `--disable-web-security`.
///
/// Only requests that carry `Origin` (which browsers add, and other clients do not) get the
/// fields, so what other clients receive is unchanged. The origin is echoed rather than `*`,
/// with credentials allowed, because a page that sends cookies may not read a `*` answer, and
/// the exposed headers are listed by name for the same reason.
enum CrossOrigin {
    /// What the server answers to: its routes' methods, and the preflight itself.
    static let methods = "GET, POST, OPTIONS"

    /// Adds the fields that let the requesting page read this answer.
    static func allow(_ headers: inout HTTPHeaders, for request: HTTPRequestHead) {
        guard let origin = request.headers.first(name: "origin") else { return }
        let exposed = Set(headers.map { $0.name.lowercased() }).subtracting(safelisted).filter { !$0.hasPrefix("access-control-") }.sorted()
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        if !exposed.isEmpty { headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: exposed.joined(separator: ", ")) }
        headers.add(name: "Vary", value: "Origin")
    }

    /// The answer to a preflight `OPTIONS`: every method the server serves, and the headers the
    /// page asked to send (the SDKs' `Authorization`, `OpenAI-*`, `X-Stainless-*` among them).
    static func preflight(_ request: HTTPRequestHead) -> HTTPHeaders {
        var headers = HTTPHeaders([("Allow", methods), ("Content-Length", "0")])
        guard request.headers.first(name: "origin") != nil else { return headers }
        headers.add(name: "Access-Control-Allow-Methods", value: methods)
        if let asked = request.headers.first(name: "access-control-request-headers"), !asked.isEmpty {
            headers.add(name: "Access-Control-Allow-Headers", value: asked)
        }
        headers.add(name: "Access-Control-Max-Age", value: "600")
        allow(&headers, for: request)
        return headers
    }

    /// Response headers a page reads without their being exposed (Fetch's CORS-safelisted ones).
    static let safelisted: Set<String> = ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"]
}
