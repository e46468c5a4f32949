import CZlib
import Cassette
import CassetteImport
import Foundation
import ImageStreamSpec
import SSEWire
import Testing

/// Other tools' recordings, written as those tools write them, turned into cassettes.
@Suite("Importing vcrpy cassettes and HAR files")
struct CassetteImporterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog = try! SpecCatalog.load(from: root.appendingPathComponent("Specs").path)

    static let stream = "event: image_generation.partial_image\ndata: {\"type\":\"image_generation.partial_image\",\"partial_image_index\":0,\"b64_json\":\"aGVsbG8=\"}\n\n"
        + "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"b64_json\":\"aGVsbG8=\"}\n\n"

    func importer() throws -> CassetteImporter {
        CassetteImporter(redactor: try Redactor(), tool: "tapedeck tests", dialect: "openai",
                         surfaceOf: { Self.catalog.surface(method: $0, path: $1) })
    }

    func write(_ text: String, name: String) throws -> String {
        try write(Data(text.utf8), name: name)
    }

    func write(_ data: Data, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A vcrpy cassette as vcrpy 9 writes it: headers as lists, the body under `string`.
    static func vcrpy(uri: String = "https://api.openai.com/v1/images/generations", requestBody: String = "'{\"model\":\"gpt-image-1\",\"stream\":true,\"partial_images\":1}'",
                      responseBody: String, extraResponseHeaders: String = "") -> String {
        """
        interactions:
        - request:
            body: \(requestBody)
            headers:
              Authorization:
              - Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789
              Content-Type:
              - application/json
            method: POST
            uri: \(uri)
          response:
            body:
              string: \(responseBody)
            headers:
              Content-Type:
              - text/event-stream
        \(extraResponseHeaders)
            status:
              code: 200
              message: OK
        - request:
            body: null
            headers: {}
            method: GET
            uri: https://api.openai.com/v1/models
          response:
            body:
              string: '{"data":[]}'
            headers: {}
            status:
              code: 200
              message: OK
        version: 1
        """
    }

    static func yamlQuoted(_ text: String) -> String {
        // YAML double quotes with escapes, as vcrpy writes bodies with line breaks.
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }

    @Test("a vcrpy cassette: the image exchange becomes a cassette, byte for byte, one chunk, marked imported; the rest is skipped and listed")
    func vcrpyCassette() throws {
        let path = try write(Self.vcrpy(responseBody: Self.yamlQuoted(Self.stream)), name: "test_stream.yaml")
        let outcome = try importer().importFile(path, name: "otter")
        #expect(outcome.format == .vcrpy)
        let cassette = try #require(outcome.cassettes.first)
        #expect(outcome.cassettes.count == 1)
        #expect(cassette.name == "otter")
        #expect(cassette.surface == "images.generate")
        #expect(cassette.request.path == "/v1/images/generations")
        #expect(cassette.response.recording.bytes == Array(Self.stream.utf8))
        #expect(cassette.response.recording.chunkEnds == [Self.stream.utf8.count])
        #expect(cassette.provenance == .imported(format: "vcrpy", file: "test_stream.yaml", host: "api.openai.com", at: nil, tool: "tapedeck tests"))
        #expect(!cassette.provenance.hasArrivalChunks)
        #expect(cassette.request.headers.first(named: "authorization") == "Bearer [redacted]", "the key is never written")
        #expect(outcome.skipped == ["interactions[1]: GET https://api.openai.com/v1/models is not an image-streaming request"])
        if case .json(let text) = cassette.request.body { #expect(text.contains("\"partial_images\":1")) } else { Issue.record("the JSON body is kept") }
    }

    @Test("vcrpy's JSON serializer writes the same tree, and it imports the same")
    func vcrpyJSON() throws {
        let tree: [String: Any] = ["version": 1, "interactions": [[
            "request": ["method": "POST", "uri": "http://127.0.0.1:8080/v1/images/generations", "body": "{\"stream\":true}",
                        "headers": ["Content-Type": ["application/json"]]],
            "response": ["status": ["code": 200, "message": "OK"], "headers": ["Content-Type": ["text/event-stream"]],
                         "body": ["string": Self.stream]],
        ]]]
        let path = try write(try JSONSerialization.data(withJSONObject: tree), name: "test_stream.json")
        let outcome = try importer().importFile(path, name: "json")
        #expect(outcome.format == .vcrpy)
        #expect(outcome.cassettes.first?.response.recording.bytes == Array(Self.stream.utf8))
    }

    @Test("a gzip body kept as !!binary (vcrpy without decode_compressed_response) is decoded, and its encoding headers dropped")
    func gzipBody() throws {
        let gzipped = try Self.gzip(Array(Self.stream.utf8))
        let binary = "!!binary |\n        " + Data(gzipped).base64EncodedString()
        let path = try write(Self.vcrpy(responseBody: binary, extraResponseHeaders: "      Content-Encoding:\n      - gzip\n      Content-Length:\n      - '\(gzipped.count)'"), name: "gz.yaml")
        let cassette = try #require(try importer().importFile(path, name: "gz").cassettes.first)
        #expect(cassette.response.recording.bytes == Array(Self.stream.utf8))
        #expect(cassette.response.headers.first(named: "content-encoding") == nil)
        #expect(cassette.response.headers.first(named: "content-length") == nil)
    }

    @Test("an image edit's multipart body becomes the form: text fields in order, files by size and SHA-256")
    func multipartEdit() throws {
        let body = "--b0undary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n"
            + "--b0undary\r\nContent-Disposition: form-data; name=\"stream\"\r\n\r\ntrue\r\n"
            + "--b0undary\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"otter.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n"
            + "--b0undary--\r\n"
        let yaml = """
        interactions:
        - request:
            body: \(Self.yamlQuoted(body))
            headers:
              Content-Type:
              - multipart/form-data; boundary=b0undary
            method: POST
            uri: http://127.0.0.1:8080/v1/images/edits
          response:
            body:
              string: \(Self.yamlQuoted(Self.stream.replacingOccurrences(of: "image_generation", with: "image_edit")))
            headers:
              Content-Type:
              - text/event-stream
            status:
              code: 200
        version: 1
        """
        let cassette = try #require(try importer().importFile(try write(yaml, name: "edit.yaml"), name: "edit").cassettes.first)
        #expect(cassette.surface == "images.edit")
        guard case .form(let fields, let files) = cassette.request.body else {
            Issue.record("a form body, not \(cassette.request.body)")
            return
        }
        #expect(fields.map(\.name) == ["model", "stream"])
        #expect(fields.map(\.value) == ["gpt-image-1", "true"])
        #expect(files == [FilePart(name: "image[]", filename: "otter.png", contentType: "image/png", contents: Array("PNGDATA".utf8))])
    }

    @Test("a HAR file: base64 content decoded, the start time and the arrival kept, a prefixed path still names its surface")
    func harFile() throws {
        let har: [String: Any] = ["log": ["version": "1.2", "entries": [
            ["startedDateTime": "2026-12-01T10:00:00.000Z",
             "request": ["method": "POST", "url": "https://gateway.example/api/v1/responses?x=1",
                         "headers": [["name": "api-key", "value": "abcdef0123456789abcdef0123456789"]],
                         "postData": ["mimeType": "application/json", "text": "{\"model\":\"gpt-5\",\"stream\":true}"]],
             "response": ["status": 200, "headers": [["name": "Content-Type", "value": "text/event-stream"]],
                          "content": ["mimeType": "text/event-stream", "encoding": "base64", "text": Data(Self.stream.utf8).base64EncodedString()]],
             "timings": ["send": 1, "wait": 200.5, "receive": 40]],
        ]]]
        let path = try write(try JSONSerialization.data(withJSONObject: har), name: "capture.har")
        let outcome = try importer().importFile(path, name: "capture")
        #expect(outcome.format == .har)
        let cassette = try #require(outcome.cassettes.first)
        #expect(cassette.surface == "responses")
        #expect(cassette.request.path == "/api/v1/responses?x=1")
        #expect(cassette.response.recording.bytes == Array(Self.stream.utf8))
        #expect(cassette.response.chunkTimes == [.microseconds(241_500)])
        #expect(cassette.provenance == .imported(format: "har", file: "capture.har", host: "gateway.example", at: "2026-12-01T10:00:00.000Z", tool: "tapedeck tests"))
        #expect(cassette.request.headers.first(named: "api-key") == "[redacted]")
    }

    @Test("errors say what to do", arguments: [
        ("neither.json", "{\"hello\": 1}", "neither a vcrpy cassette"),
        ("models.yaml", "interactions:\n- request: {method: GET, uri: 'https://api.openai.com/v1/models', body: null, headers: {}}\n  response: {status: {code: 200}, body: {string: ''}, headers: {}}\nversion: 1\n", "holds no exchange with an image surface's endpoint"),
        ("empty.yaml", "interactions: []\nversion: 1\n", "it has no exchanges at all"),
        ("brotli.yaml", vcrpy(responseBody: "!!binary |\n        AAAA", extraResponseHeaders: "      Content-Encoding:\n      - br"), "decode_compressed_response=True"),
        ("broken.har", "{\"log\": {\"entries\": [{\"request\": {}}]}}", "log.entries[0]"),
    ])
    func errors(name: String, text: String, message: String) throws {
        let path = try write(text, name: name)
        do {
            _ = try importer().importFile(path, name: "x")
            Issue.record("\(name) imported")
        } catch {
            #expect(String(describing: error).contains(message), "\(error)")
        }
    }

    @Test("several image exchanges become NAME-1, NAME-2, … in file order")
    func numbering() throws {
        let one = Self.vcrpy(responseBody: Self.yamlQuoted(Self.stream))
        let entry = one.components(separatedBy: "- request:")[1].components(separatedBy: "version: 1")[0]
        let yaml = "interactions:\n- request:" + entry.replacingOccurrences(of: "- request:", with: "") + "- request:" + entry.components(separatedBy: "- request:")[0] + "version: 1\n"
        let names = try importer().importFile(try write(yaml, name: "two.yaml"), name: "two").cassettes.map(\.name)
        #expect(names == ["two-1", "two-2"])
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        #expect(deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 1024)
        let written = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
