import Cassette
import Foundation
import Yams

/// vcrpy's cassette (and so pytest-recording's and pytest-vcr's): YAML, or the same tree as
/// JSON, `{interactions: [{request: {method, uri, headers, body}, response: {status: {code},
/// headers, body: {string}}}], version: 1}`. Headers map a name to a list of values; bodies are
/// text or `!!binary` (base64), the response body compressed as it arrived unless vcrpy was
/// told `decode_compressed_response=True`. Read through Yams: YAML is JSON's superset.
enum VCRReader {
    static func exchanges(in text: String, file: String) throws(ImportError) -> [ForeignExchange] {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw .malformed(file: file, place: "the file", reason: "not YAML or JSON: \(error)")
        }
        guard let tree = root as? [String: Any], let interactions = tree["interactions"] as? [Any] else {
            throw .malformed(file: file, place: "the file", reason: "has no `interactions` list, which vcrpy cassettes have at the top")
        }
        var exchanges: [ForeignExchange] = []
        for (index, item) in interactions.enumerated() {
            let place = "interactions[\(index)]"
            guard let interaction = item as? [String: Any],
                  let request = interaction["request"] as? [String: Any],
                  let response = interaction["response"] as? [String: Any] else {
                throw .malformed(file: file, place: place, reason: "needs a `request` and a `response` mapping")
            }
            guard let method = request["method"] as? String, let uri = request["uri"] as? String else {
                throw .malformed(file: file, place: place, reason: "the request needs `method` and `uri`")
            }
            let status = (response["status"] as? [String: Any])?["code"] as? Int ?? 0
            guard (100...599).contains(status) else {
                throw .malformed(file: file, place: place, reason: "the response needs `status: {code: …}` between 100 and 599")
            }
            let responseHeaders = headers(response["headers"])
            let body = bytes((response["body"] as? [String: Any])?["string"])
            let decoded: [UInt8]
            do {
                decoded = try ContentDecoding.decode(body, contentEncoding: responseHeaders.first(named: "Content-Encoding"))
            } catch {
                throw .malformed(file: file, place: place, reason: error.description)
            }
            exchanges.append(ForeignExchange(
                method: method, url: uri, requestHeaders: headers(request["headers"]), requestBody: bytes(request["body"]),
                status: status, responseHeaders: responseHeaders.filter { !Self.describesEncoding($0.name) }, responseBody: decoded, place: place))
        }
        return exchanges
    }

    /// vcrpy's `{Name: [value, …]}` (or a single value), one header per value.
    static func headers(_ value: Any?) -> [Header] {
        guard let map = value as? [String: Any] else { return [] }
        return map.keys.sorted().flatMap { name -> [Header] in
            switch map[name] {
            case let list as [Any]: list.map { Header(name, "\($0)") }
            case let single?: [Header(name, "\(single)")]
            case nil: []
            }
        }
    }

    /// A body as vcrpy keeps it: text, `!!binary` bytes, or null for none.
    static func bytes(_ value: Any?) -> [UInt8] {
        switch value {
        case let text as String: Array(text.utf8)
        case let data as Data: [UInt8](data)
        default: []
        }
    }

    /// Headers that describe the stored body's encoding, which no longer hold once it is decoded.
    static func describesEncoding(_ name: String) -> Bool {
        ["content-encoding", "content-length"].contains(name.lowercased())
    }
}
