// The Swift adapter of docs/client-contract.md: command mode (TAPEDECK_* variables) and
// service mode (TAPEDECK_SERVICE=1, JSON lines). It sends the request the way code generated
// by swift-openapi-generator does (a ClientTransport with an HTTPBody) and reads an event
// stream with swift-openapi-runtime's `asDecodedServerSentEvents(while:)`, stopping at
// `data: [DONE]` as its documentation shows. Like every adapter here, it adds no check the
// libraries do not make: what they hand over is what it writes.
import AsyncHTTPClient
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

let capabilities = ["images.generate", "images.edit", "responses", "json", "sse"]
let runtimeVersion = "1.13.4"

/// One scenario: where to send, what to send, where to write.
struct Scenario {
    var id: String
    var baseURL: String
    var apiKey: String
    var request: [String: Any]
    var output: String
    var timeout: Double

    var surface: String { request["surface"] as? String ?? "" }
    var path: String { request["path"] as? String ?? "" }
    var body: [String: Any] { request["body"] as? [String: Any] ?? [:] }
    var files: [[String: Any]] { request["files"] as? [[String: Any]] ?? [] }

    init(id: String, baseURL: String, apiKey: String, requestPath: String, output: String, timeout: Double) throws {
        self.id = id
        self.baseURL = baseURL
        self.apiKey = apiKey
        let data = try Data(contentsOf: URL(fileURLWithPath: requestPath))
        guard let request = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AdapterError.unreadableRequest(requestPath)
        }
        self.request = request
        self.output = output
        self.timeout = timeout
    }

    /// The format asked for, to name images when the response does not say.
    var imageFormat: String {
        for tool in body["tools"] as? [[String: Any]] ?? [] where tool["type"] as? String == "image_generation" {
            if let format = tool["output_format"] as? String { return format }
        }
        return body["output_format"] as? String ?? "png"
    }
}

enum AdapterError: Error, CustomStringConvertible {
    case unreadableRequest(String)
    case httpStatus(Int, String)
    case notBase64(String)

    var description: String {
        switch self {
        case .unreadableRequest(let path): "cannot read \(path)"
        case .httpStatus(let status, let body): "HTTP \(status): \(body)"
        case .notBase64(let start): "Data(base64Encoded:) refused the image text, which starts \(start)"
        }
    }
}

/// Writes events.jsonl, partial-N, final-N and error.json.
final class Observations {
    let output: String
    let started = Date()
    private let events: FileHandle
    private var partials = 0
    private var finals = 0

    init(output: String) throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: output + "/events.jsonl", contents: nil)
        self.output = output
        self.events = try FileHandle(forWritingTo: URL(fileURLWithPath: output + "/events.jsonl"))
    }

    func line(_ object: [String: Any]) {
        var record = object
        record["t"] = Date().timeIntervalSince(started)
        if let data = try? JSONSerialization.data(withJSONObject: record) {
            events.write(data + Data("\n".utf8))
        }
    }

    func event(_ payload: [String: Any]) {
        var record: [String: Any] = ["type": payload["type"] as? String ?? ""]
        for field in ["partial_image_index", "output_index", "sequence_number"] where payload[field] != nil {
            record[field] = payload[field]
        }
        if let usage = payload["usage"] as? [String: Any] {
            record["usage"] = usage
        } else if let usage = (payload["response"] as? [String: Any])?["usage"] as? [String: Any] {
            record["usage"] = usage
        }
        line(record)
    }

    func partial(_ base64: String, format: String) throws {
        try write(base64, to: "partial-\(partials).\(format)")
        partials += 1
    }

    func final(_ base64: String, format: String) throws {
        try write(base64, to: "final-\(finals).\(format)")
        finals += 1
    }

    func finalURL(_ url: String) {
        _ = FileManager.default.createFile(atPath: "\(output)/final-\(finals).url", contents: Data(url.utf8))
        finals += 1
    }

    /// Foundation's decoder, as a Swift user decodes `b64_json`; its nil (text it refuses, such
    /// as a `data:` URL) is an error the user sees.
    private func write(_ base64: String, to name: String) throws {
        guard let image = Data(base64Encoded: base64) else { throw AdapterError.notBase64(String(base64.prefix(40))) }
        _ = FileManager.default.createFile(atPath: output + "/" + name, contents: image)
    }

    func error(_ message: String, status: Int?) {
        var record: [String: Any] = ["message": message]
        if let status { record["status"] = status }
        if let data = try? JSONSerialization.data(withJSONObject: record) {
            _ = FileManager.default.createFile(atPath: output + "/error.json", contents: data)
        }
    }

    func close() { try? events.close() }
}

/// The request as generated code builds it: an HTTPRequest with a path relative to the server
/// URL, and an HTTPBody.
func makeRequest(_ scenario: Scenario) throws -> (HTTPRequest, HTTPBody?) {
    let method = HTTPRequest.Method(scenario.request["method"] as? String ?? "POST") ?? .post
    var request = HTTPRequest(method: method, scheme: nil, authority: nil, path: scenario.path)
    request.headerFields[.authorization] = "Bearer \(scenario.apiKey)"
    guard method == .post else { return (request, nil) }
    if scenario.surface == "images.edit" {
        let boundary = "tapedeck-swift-\(UUID().uuidString)"
        request.headerFields[.contentType] = "multipart/form-data; boundary=\(boundary)"
        var form = Data()
        for (name, value) in scenario.body.sorted(by: { $0.key < $1.key }) {
            form += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in scenario.files {
            let path = file["path"] as? String ?? ""
            let filename = file["filename"] as? String ?? (path as NSString).lastPathComponent
            form += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file["field"] as? String ?? "image")\"; filename=\"\(filename)\"\r\nContent-Type: \(file["content_type"] as? String ?? "image/png")\r\n\r\n".utf8)
            form += try Data(contentsOf: URL(fileURLWithPath: path)) + Data("\r\n".utf8)
        }
        form += Data("--\(boundary)--\r\n".utf8)
        return (request, HTTPBody(form))
    }
    request.headerFields[.contentType] = "application/json"
    return (request, HTTPBody(try JSONSerialization.data(withJSONObject: scenario.body)))
}

func perform(_ scenario: Scenario, _ seen: Observations, transport: AsyncHTTPClientTransport) async throws {
    let (request, body) = try makeRequest(scenario)
    let (response, responseBody) = try await transport.send(request, body: body, baseURL: URL(string: scenario.baseURL)!, operationID: scenario.surface)
    guard (200..<300).contains(response.status.code) else {
        // Generated code hands over the status before the body (`.undocumented(statusCode:_:)`):
        // a body cut short does not hide it.
        var text = ""
        if let responseBody { text = (try? await String(collecting: responseBody, upTo: 1 << 20)) ?? "(the body could not be read)" }
        throw AdapterError.httpStatus(response.status.code, text)
    }
    guard let responseBody else { return }
    let isStream = response.headerFields[.contentType]?.hasPrefix("text/event-stream") ?? false
    guard isStream else {
        let data = try await Data(collecting: responseBody, upTo: 512 << 20)
        try recordJSONBody(data, scenario, seen)
        return
    }
    let done = ArraySlice("[DONE]".utf8)
    for try await event in responseBody.asDecodedServerSentEvents(while: { $0 != done }) {
        if scenario.surface == "sse" {
            seen.line(["type": event.event ?? "message", "data": event.data ?? "", "id": event.id ?? ""])
            continue
        }
        guard let data = event.data else { continue }
        guard let payload = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { continue }
        try recordPayload(payload, scenario, seen)
    }
}

/// An event's payload: surfaced, and its images written as the payload carries them.
func recordPayload(_ payload: [String: Any], _ scenario: Scenario, _ seen: Observations) throws {
    seen.event(payload)
    let type = payload["type"] as? String ?? ""
    let format = payload["output_format"] as? String ?? scenario.imageFormat
    switch type {
    case "image_generation.partial_image", "image_edit.partial_image":
        if let image = payload["b64_json"] as? String { try seen.partial(image, format: format) }
    case "response.image_generation_call.partial_image":
        if let image = payload["partial_image_b64"] as? String { try seen.partial(image, format: format) }
    case "image_generation.completed", "image_edit.completed":
        if let image = payload["b64_json"] as? String { try seen.final(image, format: format) }
    case "response.output_item.done":
        if let item = payload["item"] as? [String: Any], item["type"] as? String == "image_generation_call", let image = item["result"] as? String {
            try seen.final(image, format: item["output_format"] as? String ?? scenario.imageFormat)
        }
    default:
        break
    }
}

/// A JSON body: an ImagesResponse's `data[]`, or a Response's image_generation_call results.
func recordJSONBody(_ data: Data, _ scenario: Scenario, _ seen: Observations) throws {
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
    let format = json["output_format"] as? String ?? scenario.imageFormat
    for item in json["data"] as? [[String: Any]] ?? [] {
        if let image = item["b64_json"] as? String {
            try seen.final(image, format: format)
        } else if let url = item["url"] as? String {
            seen.finalURL(url)
        }
    }
    for item in json["output"] as? [[String: Any]] ?? [] where item["type"] as? String == "image_generation_call" {
        if let image = item["result"] as? String { try seen.final(image, format: item["output_format"] as? String ?? scenario.imageFormat) }
    }
}

/// Runs one scenario; the exit status the contract asks for.
func run(_ scenario: Scenario, transport: AsyncHTTPClientTransport) async -> Int32 {
    let seen: Observations
    do {
        seen = try Observations(output: scenario.output)
    } catch {
        FileHandle.standardError.write(Data("cannot write into \(scenario.output): \(error)\n".utf8))
        return 2
    }
    defer { seen.close() }
    do {
        try await perform(scenario, seen, transport: transport)
        return 0
    } catch {
        FileHandle.standardError.write(Data("\(scenario.id): \(error)\n".utf8))
        if case AdapterError.httpStatus(let status, _) = error {
            seen.error("\(error)", status: status)
        } else {
            seen.error("\(type(of: error)): \(error)", status: nil)
        }
        return 1
    }
}

let environment = ProcessInfo.processInfo.environment
let transport = AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(Int64(Double(environment["TAPEDECK_TIMEOUT"] ?? "") ?? 300))))
var exitStatus: Int32 = 0

if environment["TAPEDECK_SERVICE"] == "1" {
    func reply(_ object: [String: Any]) {
        FileHandle.standardOutput.write((try! JSONSerialization.data(withJSONObject: object)) + Data("\n".utf8))
    }
    reply(["tapedeck": "client/1", "name": "swift-openapi-runtime", "version": runtimeVersion, "capabilities": capabilities])
    while let line = readLine() {
        guard let message = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
        let id = message["id"] as? String ?? ""
        var status: Int32 = 2
        if let scenario = try? Scenario(
            id: id, baseURL: message["base_url"] as? String ?? "", apiKey: message["api_key"] as? String ?? "sk-tapedeck-dummy",
            requestPath: message["request"] as? String ?? "", output: message["output"] as? String ?? "",
            timeout: message["timeout"] as? Double ?? 30
        ) {
            status = await run(scenario, transport: transport)
        }
        reply(["id": id, "exit": status])
    }
} else {
    do {
        let scenario = try Scenario(
            id: environment["TAPEDECK_SCENARIO"] ?? "command", baseURL: environment["TAPEDECK_BASE_URL"] ?? "",
            apiKey: environment["OPENAI_API_KEY"] ?? "sk-tapedeck-dummy", requestPath: environment["TAPEDECK_REQUEST"] ?? "",
            output: environment["TAPEDECK_OUTPUT"] ?? "", timeout: Double(environment["TAPEDECK_TIMEOUT"] ?? "") ?? 30
        )
        exitStatus = await run(scenario, transport: transport)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exitStatus = 2
    }
}
exit(exitStatus)
