import Foundation
import ImageStreamSpec
import Synthesis

/// An error answered before any stream byte, shaped as OpenAI shapes it, so clients take the
/// path they take for a real API error.
public struct OpenAIError: Error, Sendable {
    public let status: Int
    public let message: String
    public let type: String
    public let param: String?
    public let code: String?

    public init(status: Int, message: String, type: String, param: String?, code: String?) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    /// `{"error": {"message", "type", "param", "code"}}`, as the API answers.
    public var body: [UInt8] {
        let field = { (value: String?) in value.map(JSONOut.string) ?? .null }
        return JSONOut.object([("error", .object([
            ("message", .string(message)), ("type", .string(type)), ("param", field(param)), ("code", field(code)),
        ]))]).bytes
    }

    public static func notFound(_ message: String) -> OpenAIError {
        OpenAIError(status: 404, message: message, type: "invalid_request_error", param: nil, code: "not_found")
    }

    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// An error-level finding about the request, as a 400 naming the parameter.
    static func from(_ finding: Finding, parameters: some Collection<String>) -> OpenAIError {
        let words = finding.message.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:()")) }
        // The first word that names a parameter (a path names its first part).
        let param = finding.message.hasPrefix("missing required field ")
            ? words.last
            : words.lazy.map { $0.split(separator: ".").first.map(String.init) ?? $0 }.first { parameters.contains($0) }
        let code = finding.ruleID == "REQ-001" ? "missing_required_parameter" : "invalid_value"
        return invalidRequest("\(finding.message) (\(finding.ruleID): \(finding.statement))", param: param, code: code)
    }
}
