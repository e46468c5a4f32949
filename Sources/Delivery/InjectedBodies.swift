/// The bytes Tapedeck makes up: OpenAI-shaped HTTP error bodies, in-stream error events, and
/// the small comment, ping and id lines of the rewrites.
///
/// Every text here is plain ASCII without quotes or backslashes, so it is written into JSON as
/// is.
enum InjectedBodies {
    static let streamErrorMessage = "Tapedeck injected a server error"
    static let streamErrorCode = "server_error"
    static let defaultResponseID = "resp_tapedeck"
    static let refusalCode = "image_content_policy_violation"
    static let refusalMessage = "Your request was rejected by the safety system (injected by Tapedeck)"

    /// The `error` object for an HTTP status, modelled on what OpenAI sends:
    /// 429 → type `requests`, code `rate_limit_exceeded`; 500 → `server_error`; 503 → type
    /// `server_error`, code `service_unavailable`; other 4xx → `invalid_request_error` with a
    /// code naming the status; other 5xx → `server_error`.
    static func httpErrorFields(status: Int) -> (message: String, type: String, code: String) {
        let suffix = " (injected by Tapedeck)"
        switch status {
        case 400: return ("Invalid request" + suffix, "invalid_request_error", "invalid_request")
        case 401: return ("Incorrect API key provided" + suffix, "invalid_request_error", "invalid_api_key")
        case 403: return ("You are not allowed to make this request" + suffix, "invalid_request_error", "forbidden")
        case 404: return ("The requested resource does not exist" + suffix, "invalid_request_error", "not_found")
        case 409: return ("The request conflicts with another request" + suffix, "invalid_request_error", "conflict")
        case 413: return ("The request is too large" + suffix, "invalid_request_error", "request_too_large")
        case 422: return ("The request could not be processed" + suffix, "invalid_request_error", "unprocessable_entity")
        case 429: return ("Rate limit reached for requests" + suffix, "requests", "rate_limit_exceeded")
        case 500: return ("The server had an error while processing your request. Sorry about that!" + suffix, "server_error", "server_error")
        case 502: return ("Bad gateway" + suffix, "server_error", "bad_gateway")
        case 503: return ("The server is overloaded or not ready yet" + suffix, "server_error", "service_unavailable")
        case 504: return ("The server timed out" + suffix, "server_error", "timeout")
        case ..<500: return ("The request failed with status \(status)" + suffix, "invalid_request_error", "http_\(status)")
        default: return ("The server failed with status \(status)" + suffix, "server_error", "server_error")
        }
    }

    /// `{"error":{"message":…,"type":…,"param":null,"code":…}}`, the OpenAPI `ErrorResponse`.
    static func httpErrorBody(status: Int) -> [UInt8] {
        let fields = httpErrorFields(status: status)
        return Array(#"{"error":{"message":"\#(fields.message)","type":"\#(fields.type)","param":null,"code":"\#(fields.code)"}}"#.utf8)
    }

    /// The data of an injected `error` event; `sequenceNumber` nil leaves the field out.
    static func errorEventData(shape: ErrorShape, sequenceNumber: Int?) -> String {
        let sequence = sequenceNumber.map { #","sequence_number":\#($0)"# } ?? ""
        switch shape {
        case .nested:
            return #"{"type":"error","error":{"type":"server_error","code":"\#(streamErrorCode)","message":"\#(streamErrorMessage)","param":null}\#(sequence)}"#
        case .flat:
            return #"{"type":"error","code":"\#(streamErrorCode)","message":"\#(streamErrorMessage)","param":null\#(sequence)}"#
        }
    }

    /// The data of the `response.failed` event that follows an injected error on the
    /// Responses API, or (`refusal`) that ends a stream on its own, as a safety rejection does.
    static func responseFailedData(responseID: String, sequenceNumber: Int?, refusal: Bool = false) -> String {
        let sequence = sequenceNumber.map { #","sequence_number":\#($0)"# } ?? ""
        let (code, message) = refusal ? (refusalCode, refusalMessage) : (streamErrorCode, streamErrorMessage)
        return #"{"type":"response.failed","response":{"id":"\#(responseID)","object":"response","status":"failed","error":{"code":"\#(code)","message":"\#(message)"},"incomplete_details":null,"output":[]}\#(sequence)}"#
    }

    /// An event block: an optional `event:` line, one `data:` line and the blank line.
    static func eventBlock(name: String?, data: String, lineEnd: [UInt8]) -> (content: [UInt8], terminator: [UInt8]) {
        var content: [UInt8] = []
        if let name { content += Array("event: \(name)".utf8) + lineEnd }
        content += Array("data: \(data)".utf8) + lineEnd
        return (content, lineEnd)
    }

    /// `event: ping` and the blank line: a block without data, which dispatches nothing.
    static func pingBlock(lineEnd: [UInt8]) -> [UInt8] {
        Array("event: ping".utf8) + lineEnd + lineEnd
    }

    /// `: keep-alive`, a comment line.
    /// A comment block of its own, `: keep-alive` and a blank line, as servers send to keep a
    /// silent connection open: it dispatches nothing.
    static func keepAliveBlock(lineEnd: [UInt8]) -> [UInt8] {
        heartbeatLine(lineEnd: lineEnd) + lineEnd
    }

    static func heartbeatLine(lineEnd: [UInt8]) -> [UInt8] {
        Array(": keep-alive".utf8) + lineEnd
    }

    /// `id: N`.
    static func idLine(_ id: Int, lineEnd: [UInt8]) -> [UInt8] {
        Array("id: \(id)".utf8) + lineEnd
    }
}
