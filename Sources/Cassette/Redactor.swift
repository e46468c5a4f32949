/// Takes secrets out of everything Tapedeck keeps or prints: credential headers and cookies;
/// API-key shapes (`sk-…`, gateway keys such as `aigw_sk_…`, long `Bearer` tokens) anywhere in
/// text; JSON members and form fields named like credentials (`api_key`, `password`, `token`,
/// `secret`, …); the password in a URL's user info and key-like query parameters; plus the
/// patterns the user adds. Response bodies are redacted in place with their chunk boundaries
/// kept, so a recording stays byte-exact in everything but the secret.
public struct Redactor: Sendable {
    public static let placeholder = "[redacted]"

    /// Headers whose whole value is a credential. `Authorization` keeps its scheme.
    static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "api-key", "x-api-key", "openai-api-key", "x-goog-api-key",
        "cookie", "set-cookie", "x-auth-token", "x-access-token",
    ]

    /// Key shapes found anywhere: OpenAI's `sk-…` (and `sk-proj-…`), gateways' `<name>_sk_…`.
    static let builtInPatterns = [#"sk-[A-Za-z0-9_\-]{8,}"#, #"[A-Za-z0-9]{2,16}_sk_[A-Za-z0-9_\-]{8,}"#]

    /// A `Bearer` token outside a header (an error message, a log line): the scheme is kept.
    static let bearerPattern = #"(?i)(bearer\s+)[A-Za-z0-9._~+/\-]{16,}=*"#

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
        self.patterns = Self.builtInPatterns + extraPatterns
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

    /// Whether a JSON member or form field of this name holds a credential.
    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased().replacing("-", with: "_")
        if lower.hasSuffix("_tokens") || lower == "tokens" { return false } // usage counts
        let words = lower.split(separator: "_")
        guard let last = words.last else { return false }
        if ["password", "passwd", "secret", "credential", "credentials"].contains(last) { return true }
        if ["token", "apikey"].contains(last) { return true }
        return last == "key" && (words.count == 1 || words.dropLast().last.map { ["api", "gateway", "secret", "access", "private", "auth", "client", "openai", "azure"].contains($0) } == true)
    }

    /// Any text with every secret replaced.
    public func text(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let edits = edits(in: bytes)
        guard !edits.isEmpty else { return value }
        return String(decoding: Self.apply(edits, to: bytes), as: UTF8.self)
    }

    /// The shortest base64 run passed over unsearched. No key, token or password is a kilobyte
    /// of unbroken base64, and image payloads are: regular-expression search over megabytes of
    /// them would take seconds per request.
    static let skippedRunLength = 1 << 10

    /// Every secret in `bytes` as byte ranges and their replacements, base64 runs passed over.
    /// The text between runs is searched as UTF-8, or byte for byte (Latin-1) where it is not
    /// UTF-8, so a binary body is redacted without losing a byte.
    func edits(in bytes: [UInt8]) -> [(range: Range<Int>, replacement: [UInt8])] {
        var edits: [(range: Range<Int>, replacement: [UInt8])] = []
        var searchFrom = 0
        for run in BodyLayout.base64Runs(in: bytes, minimumLength: Self.skippedRunLength) + [bytes.count..<bytes.count] {
            defer { searchFrom = run.upperBound }
            guard run.lowerBound > searchFrom else { continue }
            let segment = bytes[searchFrom..<run.lowerBound]
            if let text = String(validating: segment, as: UTF8.self) {
                for secret in secrets(in: text) {
                    let lower = searchFrom + text.utf8.distance(from: text.startIndex, to: secret.range.lowerBound)
                    let upper = searchFrom + text.utf8.distance(from: text.startIndex, to: secret.range.upperBound)
                    edits.append((lower..<upper, Array(secret.replacement.utf8)))
                }
            } else {
                var scalars = String.UnicodeScalarView()
                scalars.append(contentsOf: segment.map { Unicode.Scalar($0) })
                let text = String(scalars)
                for secret in secrets(in: text) {
                    let lower = searchFrom + text.unicodeScalars.distance(from: text.startIndex, to: secret.range.lowerBound)
                    let upper = searchFrom + text.unicodeScalars.distance(from: text.startIndex, to: secret.range.upperBound)
                    edits.append((lower..<upper, Array(secret.replacement.utf8)))
                }
            }
        }
        return edits
    }

    static func apply(_ edits: [(range: Range<Int>, replacement: [UInt8])], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for edit in edits {
            output += bytes[position..<edit.range.lowerBound]
            output += edit.replacement
            position = edit.range.upperBound
        }
        output += bytes[position...]
        return output
    }

    /// Every secret in `text`, in order and not overlapping, with what replaces it: pattern
    /// matches, a `Bearer` token (its scheme kept), the string value of a JSON member named
    /// like a credential.
    func secrets(in text: String) -> [(range: Range<String.Index>, replacement: String)] {
        var found: [(range: Range<String.Index>, replacement: String)] = []
        for pattern in patterns {
            for match in text.matches(of: try! Regex(pattern)) where !match.range.isEmpty {
                found.append((match.range, Self.placeholder))
            }
        }
        for match in text.matches(of: try! Regex<(Substring, Substring)>(Self.bearerPattern)) {
            found.append((match.output.1.endIndex..<match.range.upperBound, Self.placeholder))
        }
        if text.contains("\"") {
            let member = try! Regex<(Substring, Substring, Substring)>(#""([A-Za-z0-9_\-]{1,64})"\s*:\s*("(?:[^"\\]|\\.)*")"#)
            for match in text.matches(of: member) where Self.isSecretName(String(match.output.1)) {
                found.append((match.output.2.startIndex..<match.output.2.endIndex, "\"\(Self.placeholder)\""))
            }
        }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        var merged: [(range: Range<String.Index>, replacement: String)] = []
        for secret in found {
            if let last = merged.last, secret.range.lowerBound < last.range.upperBound {
                merged[merged.count - 1].range = last.range.lowerBound..<max(last.range.upperBound, secret.range.upperBound)
            } else {
                merged.append(secret)
            }
        }
        return merged
    }

    /// A form field's value as it may be kept: all of it when the field is named like a credential.
    public func field(name: String, value: String) -> String {
        Self.isSecretName(name) ? Self.placeholder : text(value)
    }

    /// A URL with the password of its user info, key-like query parameters (key=, api_key=,
    /// token=, sig=…) and any secret pattern replaced.
    public func url(_ value: String) -> String {
        var value = value
        // scheme://user:password@host — the password goes, the user stays for context.
        if let schemeEnd = value.firstRange(of: "://") {
            let authorityEnd = value[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? value.endIndex
            let authority = value[schemeEnd.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                let kept = userInfo.contains(":") ? "\(user):\(Self.placeholder)" : Self.placeholder
                value.replaceSubrange(authority.startIndex..<at, with: kept)
            }
        }
        guard let question = value.firstIndex(of: "?") else { return text(value) }
        let query = value[value.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            if parts.count == 2, ["key", "api_key", "api-key", "apikey", "token", "access_token", "sig", "signature", "password"].contains(key) || Self.isSecretName(key) {
                return "\(parts[0])=\(Self.placeholder)"
            }
            return text(String(pair))
        }
        return text(String(value[..<question])) + "?" + query.joined(separator: "&")
    }

    /// A response body redacted in place, its chunks kept: a secret split across chunks is found
    /// (the body is searched whole), and a chunk boundary inside a secret moves to the end of
    /// its placeholder, the chunks it joins arriving when the last of them did.
    public func body(_ bytes: [UInt8], chunkEnds: [Int], chunkTimes: [Duration]) -> (bytes: [UInt8], chunkEnds: [Int], chunkTimes: [Duration]) {
        let edits = edits(in: bytes)
        guard !edits.isEmpty else { return (bytes, chunkEnds, chunkTimes) }
        let output = Self.apply(edits, to: bytes)
        var ends: [Int] = []
        var times: [Duration] = []
        for (end, time) in zip(chunkEnds, chunkTimes) {
            var newEnd = end
            for edit in edits where edit.range.lowerBound < end {
                if edit.range.upperBound <= end {
                    newEnd += edit.replacement.count - edit.range.count
                } else {
                    // Inside this secret: the chunk ends where its placeholder does.
                    newEnd += edit.range.upperBound - end + edit.replacement.count - edit.range.count
                }
            }
            if let last = ends.last, newEnd <= last {
                times[times.count - 1] = time
                continue
            }
            ends.append(newEnd)
            times.append(time)
        }
        return (output, ends, times)
    }
}

/// A `--redact` pattern that is not a regular expression.
public struct RedactionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    public let reason: String
    public var description: String { "--redact \(String(reflecting: pattern)) is not a regular expression: \(reason)" }
}
