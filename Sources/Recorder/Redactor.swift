/// Takes secrets out of everything a recording keeps, before anything is written: credential
/// headers, cookies, and `sk-…`-shaped keys anywhere in headers, the URL's query, or the
/// request body, plus whatever patterns the user adds.
public struct Redactor: Sendable {
    public static let placeholder = "[redacted]"

    /// Headers whose whole value is a credential. `Authorization` keeps its scheme.
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "api-key", "x-api-key", "openai-api-key", "x-goog-api-key",
        "cookie", "set-cookie", "x-auth-token", "x-access-token",
    ]

    /// Kept as text and compiled where used: a `Regex` holds a lazily built program that may
    /// not be shared across threads, and a proxy redacts on many at once.
    let patterns: [String]

    /// - Parameter extraPatterns: regular expressions for more secrets; every match is replaced.
    public init(extraPatterns: [String] = []) throws(RedactionError) {
        for text in extraPatterns {
            do {
                _ = try Regex(text)
            } catch {
                throw RedactionError(pattern: text, reason: String(describing: error))
            }
        }
        self.patterns = [#"sk-[A-Za-z0-9_\-]{8,}"#] + extraPatterns
    }

    /// A header's value as it may be kept.
    public func header(name: String, value: String) -> String {
        let lower = name.lowercased()
        guard Self.secretHeaders.contains(lower) || lower.hasSuffix("-key") || lower.hasSuffix("-token") else {
            return text(value)
        }
        if lower.hasSuffix("authorization"), let space = value.firstIndex(of: " ") {
            return String(value[..<space]) + " " + Self.placeholder
        }
        return Self.placeholder
    }

    /// Any text with every secret pattern replaced.
    public func text(_ value: String) -> String {
        var result = value
        for pattern in patterns {
            result = result.replacing(try! Regex(pattern), with: Self.placeholder)
        }
        return result
    }

    /// A URL with secrets in its query (key=, api_key=, token=, or a secret pattern) replaced.
    public func url(_ value: String) -> String {
        guard let question = value.firstIndex(of: "?") else { return text(value) }
        let query = value[value.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            if parts.count == 2, ["key", "api_key", "api-key", "apikey", "token", "access_token", "sig", "signature"].contains(key) {
                return "\(parts[0])=\(Self.placeholder)"
            }
            return text(String(pair))
        }
        return text(String(value[..<question])) + "?" + query.joined(separator: "&")
    }
}

/// A `--redact` pattern that is not a regular expression.
public struct RedactionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "--redact \(String(reflecting: pattern)) is not a regular expression: \(reason)" }
}
