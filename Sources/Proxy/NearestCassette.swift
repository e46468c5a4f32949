import Cassette
import ImageStreamSpec

/// Why no cassette answers a request, naming the one that comes closest: among cassettes of
/// the same method and path, the one whose body fields differ in the fewest places, and how.
enum NearestCassette {
    static func describe(_ request: RecordedRequest, among cassettes: [Cassette]) -> String {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        let candidates = cassettes.filter {
            $0.request.method == request.method && ($0.request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0.request.path) == path
        }
        guard !candidates.isEmpty else {
            return cassettes.isEmpty ? "the folder holds no cassette" : "no cassette records \(request.method) \(path)"
        }
        let mine = fields(request)
        let ranked = candidates.map { ($0, differences(mine, fields($0.request))) }
        guard let (nearest, differing) = ranked.min(by: { $0.1.count < $1.1.count || ($0.1.count == $1.1.count && $0.0.name < $1.0.name) }) else {
            return "no cassette records \(request.method) \(path)"
        }
        let how = differing.isEmpty ? "the same fields; the query or the files differ" : differing.joined(separator: "; ")
        return "nearest cassette: \(nearest.name) (\(how))"
    }

    private static func fields(_ request: RecordedRequest) -> [String: JSONValue] {
        guard let text = request.fieldsJSON, case .object(let members)? = try? JSONValue.parse(text) else { return [:] }
        return members
    }

    /// `field is X, the cassette has Y` for each field that differs, in field order.
    private static func differences(_ mine: [String: JSONValue], _ theirs: [String: JSONValue]) -> [String] {
        Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            let left = mine[key], right = theirs[key]
            guard left != right else { return nil }
            return "\(key) is \(left.map(text) ?? "absent"), the cassette has \(right.map(text) ?? "absent")"
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string.count > 40 ? "\"\(string.prefix(37))…\"" : "\"\(string)\""
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array(let items): "an array of \(items.count)"
        case .object: "an object"
        }
    }
}
