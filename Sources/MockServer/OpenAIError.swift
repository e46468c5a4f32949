import ImageStreamSpec

/// An error answered before any stream byte, shaped as OpenAI shapes it, so clients take the
/// path they take for a real API error.
struct OpenAIError: Error, Sendable {
    let status: Int
    let message: String
    let type: String
    let param: String?
    let code: String?

    var body: [UInt8] {
        let error: [(String, String?)] = [("message", message), ("type", type), ("param", param), ("code", code)]
        let fields = error.map { key, value in "\"\(key)\":\(value.map(Self.quote) ?? "null")" }.joined(separator: ",")
        return Array("{\"error\":{\(fields)}}".utf8)
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20: output += "\\u00" + String(scalar.value, radix: 16).leftPadded(2)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
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

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
