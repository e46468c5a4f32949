import ImageStreamSpec
import Synthesis

/// An error answered before any stream byte, shaped as OpenAI shapes it, so clients take the
/// path they take for a real API error.
struct OpenAIError: Error, Sendable {
    let status: Int
    let message: String
    let type: String
    let param: String?
    let code: String?

    var body: [UInt8] {
        let field = { (value: String?) in value.map(JSONOut.string) ?? .null }
        return JSONOut.object([("error", .object([
            ("message", .string(message)), ("type", .string(type)), ("param", field(param)), ("code", field(code)),
        ]))]).bytes
    }

    static func notFound(_ message: String) -> OpenAIError {
        OpenAIError(status: 404, message: message, type: "invalid_request_error", param: nil, code: "not_found")
    }

    static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// An error-level finding about the request, as a 400 naming the parameter.
    static func from(_ finding: Finding, parameters: some Collection<String>) -> OpenAIError {
        let words = finding.message.split(separator: " ").map(String.init)
        let param = finding.message.hasPrefix("missing required field ")
            ? words.last
            : words.first.map { $0.split(separator: ".").first.map(String.init) ?? $0 }.flatMap { parameters.contains($0) ? $0 : nil }
        let code = finding.ruleID == "REQ-001" ? "missing_required_parameter" : "invalid_value"
        return invalidRequest("\(finding.message) (\(finding.ruleID): \(finding.statement))", param: param, code: code)
    }
}
