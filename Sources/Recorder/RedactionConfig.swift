import Foundation

/// Redaction patterns kept in a file, for secrets a team knows the shape of: one regular
/// expression per line; blank lines and lines starting with `#` are skipped, and spaces around
/// a pattern are not part of it.
public enum RedactionConfig {
    public static func patterns(inFile path: String) throws(RedactionConfigError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path)
        }
        var patterns: [String] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let pattern = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            guard !pattern.isEmpty, !pattern.hasPrefix("#") else { continue }
            do {
                _ = try Regex(pattern)
            } catch {
                throw .invalidPattern(path: path, line: index + 1, pattern: pattern, reason: String(describing: error))
            }
            patterns.append(pattern)
        }
        return patterns
    }
}

public enum RedactionConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String)
    case invalidPattern(path: String, line: Int, pattern: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            "cannot read the redaction file \(path): give a readable file with one regular expression per line"
        case .invalidPattern(let path, let line, let pattern, let reason):
            "\(path):\(line): \(String(reflecting: pattern)) is not a regular expression (\(reason)); fix the line or comment it out with #"
        }
    }
}
