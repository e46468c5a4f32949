import Cassette
import Foundation

/// HTTP Archive 1.2 (W3C draft; browsers' devtools, mitmproxy, Charles): `{log: {entries:
/// [{startedDateTime, request: {method, url, headers, postData}, response: {status, headers,
/// content: {text, encoding}}, timings}]}}`. Bodies are decoded already (`content.text`, base64
/// when `encoding` says so); a form's fields may come parsed (`postData.params`).
enum HARReader {
    static func exchanges(in data: Data, file: String) throws(ImportError) -> [ForeignExchange] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .malformed(file: file, place: "the file", reason: "not JSON: \(error.localizedDescription)")
        }
        guard let log = (root as? [String: Any])?["log"] as? [String: Any], let entries = log["entries"] as? [Any] else {
            throw .malformed(file: file, place: "the file", reason: "has no `log.entries` list, which HAR files have")
        }
        var exchanges: [ForeignExchange] = []
        for (index, item) in entries.enumerated() {
            let place = "log.entries[\(index)]"
            guard let entry = item as? [String: Any],
                  let request = entry["request"] as? [String: Any],
                  let response = entry["response"] as? [String: Any],
                  let method = request["method"] as? String, let url = request["url"] as? String else {
                throw .malformed(file: file, place: place, reason: "needs `request` (with `method` and `url`) and `response`")
            }
            let status = response["status"] as? Int ?? 0
            let content = response["content"] as? [String: Any] ?? [:]
            let text = content["text"] as? String ?? ""
            let body: [UInt8]
            if (content["encoding"] as? String)?.lowercased() == "base64" {
                guard let decoded = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                    throw .malformed(file: file, place: place, reason: "`response.content.text` says base64 but is not")
                }
                body = [UInt8](decoded)
            } else {
                body = Array(text.utf8)
            }
            let postData = request["postData"] as? [String: Any]
            exchanges.append(ForeignExchange(
                method: method, url: url, requestHeaders: headers(request["headers"]),
                requestBody: Array((postData?["text"] as? String ?? "").utf8), parsedForm: form(postData),
                status: status, responseHeaders: headers(response["headers"]).filter { !VCRReader.describesEncoding($0.name) },
                responseBody: body, startedAt: entry["startedDateTime"] as? String, bodyArrived: arrival(entry["timings"]), place: place))
        }
        return exchanges
    }

    static func headers(_ value: Any?) -> [Header] {
        (value as? [Any] ?? []).compactMap { item in
            guard let pair = item as? [String: Any], let name = pair["name"] as? String else { return nil }
            return Header(name, pair["value"] as? String ?? "")
        }
    }

    /// `postData.params` of a multipart form; its files' bytes are not in HAR, so they are
    /// described by name and type only (size 0, digest of nothing) unless `value` holds them.
    static func form(_ postData: [String: Any]?) -> (fields: [(name: String, value: String)], files: [FilePart])? {
        guard let postData, (postData["mimeType"] as? String ?? "").lowercased().hasPrefix("multipart/form-data"),
              let params = postData["params"] as? [Any], !params.isEmpty else { return nil }
        var fields: [(name: String, value: String)] = []
        var files: [FilePart] = []
        for case let param as [String: Any] in params {
            let name = param["name"] as? String ?? ""
            let value = param["value"] as? String ?? ""
            if let filename = param["fileName"] as? String {
                files.append(FilePart(name: name, filename: filename, contentType: param["contentType"] as? String ?? "application/octet-stream", contents: Array(value.utf8)))
            } else {
                fields.append((name, value))
            }
        }
        return (fields, files)
    }

    /// Send, wait and receive added up: when the body had arrived, in milliseconds in HAR.
    static func arrival(_ value: Any?) -> Duration? {
        guard let timings = value as? [String: Any] else { return nil }
        let parts = ["send", "wait", "receive"].compactMap { (timings[$0] as? NSNumber)?.doubleValue }.filter { $0 >= 0 }
        guard !parts.isEmpty else { return nil }
        return .microseconds(Int64(parts.reduce(0, +) * 1000))
    }
}
