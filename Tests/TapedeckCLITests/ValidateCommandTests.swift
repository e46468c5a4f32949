import Foundation
import Testing

@Suite("tapedeck validate and tapedeck rules")
struct ValidateCommandTests {
    static let streams = TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/streams")

    static func stream(_ name: String) -> String { streams.appendingPathComponent(name).path }

    /// Writes `bytes` to a temporary file with the given extension.
    static func temporary(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-\(UUID().uuidString)\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("The bundled streams conform to their surfaces, each guessed from its events", arguments: [
        ("images-generate-partial-2.sse", "images.generate"), ("images-edit-crlf-heartbeat.sse", "images.edit"), ("responses-image-generation.sse", "responses"),
        ("responses-live.sse", "responses"),
    ])
    func bundledStreamsConform(file: String, surface: String) throws {
        let result = try TapedeckProcess.run(["validate", Self.stream(file)])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("conforms"))
        #expect(result.standardOutput.contains("surface \(surface) (guessed from the event types), dialect openai"))
    }

    @Test("A live-shaped stream conforms, with a note that image_generation_call.completed is absent")
    func liveStream() throws {
        let result = try TapedeckProcess.run(["validate", Self.stream("responses-live.sse")])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("0 errors, 0 warnings, 1 note"))
        #expect(result.standardOutput.contains("RESP-010 info"))
    }

    @Test("A non-streaming Response body is validated as a Response, not as an error body")
    func responseBody() throws {
        let cassette = TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/responses-json.cassette.json").path
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cassette))) as? [String: Any])
        let body = try #require(((document["response"] as? [String: Any])?["body"] as? [String: Any])?["text"] as? String)
        let path = try Self.temporary(Array(body.utf8), suffix: ".json")
        let result = try TapedeckProcess.run(["validate", path])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("surface responses (guessed from the body: a Response)"))
        #expect(!result.standardOutput.contains("ERR-001"))
        let broken = try Self.temporary(Array(body.replacingOccurrences(of: #""status":"completed""#, with: #""status":"in_progress""#).utf8), suffix: ".json")
        let failed = try TapedeckProcess.run(["validate", broken])
        #expect(failed.status == 1)
        #expect(failed.standardOutput.contains("RESP-027 error"))
    }

    @Test("A truncated stream fails with the rule, the bytes and the source; exit 1")
    func truncated() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.stream("images-generate-partial-2.sse")))
        let path = try Self.temporary(Array(bytes.dropLast(500)), suffix: ".sse")
        let result = try TapedeckProcess.run(["validate", path])
        #expect(result.status == 1)
        for text in ["does not conform", "WIRE-001 error", "stream ended mid-event", "IMG-GEN-005 error", "source: WHATWG HTML §9.2.6"] {
            #expect(result.standardOutput.contains(text), "output lacks \(text)")
        }
    }

    @Test("--format json gives machines the findings with byte ranges")
    func json() throws {
        let path = try Self.temporary(Array("event: image_generation.completed\ndata: {\"type\":\"image_generation.partial_image\"}\n\n".utf8), suffix: ".sse")
        let result = try TapedeckProcess.run(["validate", "--format", "json", path])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let file = try #require((document["files"] as? [[String: Any]])?.first)
        #expect(file["passed"] as? Bool == false)
        let findings = try #require(file["findings"] as? [[String: Any]])
        let mismatch = try #require(findings.first { $0["rule"] as? String == "WIRE-003" })
        #expect(mismatch["byte_range"] as? [Int] == [0, 82])
        #expect(mismatch["expected"] as? String == "image_generation.partial_image")
        #expect(mismatch["severity"] as? String == "error")
    }

    @Test("Warnings pass unless --strict")
    func strict() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.stream("images-generate-partial-2.sse"))))
        bytes += Array("data: [DONE]\n\n".utf8)
        let path = try Self.temporary(bytes, suffix: ".sse")
        let lenient = try TapedeckProcess.run(["validate", path])
        #expect(lenient.status == 0)
        #expect(lenient.standardOutput.contains("WIRE-005 warning"))
        let strict = try TapedeckProcess.run(["validate", "--strict", path])
        #expect(strict.status == 1)
    }

    @Test("A request sets the surface and the expectations")
    func request() throws {
        let request = try Self.temporary(Array(#"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":3,"size":"1024x1024","quality":"high"}"#.utf8), suffix: ".json")
        let result = try TapedeckProcess.run(["validate", "--request", request, Self.stream("images-generate-partial-2.sse")])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("guessed from the request"))
        #expect(result.standardOutput.contains("IMG-GEN-006 error"), "quality low is echoed for high")
        #expect(result.standardOutput.contains("IMG-GEN-004 info"), "2 of 3 previews")
    }

    @Test("A stream with more events than --max-events is refused before the checks hold them (exit 2); at the limit it is checked")
    func eventLimit() throws {
        let eleven = try Self.temporary(Array(String(repeating: "data: {\"type\":\"keepalive\"}\n\n", count: 11).utf8), suffix: ".sse")
        let refused = try TapedeckProcess.run(["validate", "--surface", "images.generate", "--max-events", "10", eleven])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("the stream has 11 events, more than the 10 the checks may hold"), "\(refused.standardError)")
        #expect(refused.standardError.contains("validate --max-events"))
        let checked = try TapedeckProcess.run(["validate", "--surface", "images.generate", "--max-events", "11", eleven])
        #expect(checked.status == 1, "checked, and keep-alives of an unknown type are findings")
    }

    @Test("A rule broken 250 times lists its first 100 findings and says how many more")
    func findingsPerRule() throws {
        let path = try Self.temporary(Array(String(repeating: "data: {\"type\":\"keepalive\"}\n\n", count: 250).utf8), suffix: ".sse")
        let result = try TapedeckProcess.run(["validate", "--surface", "images.generate", "--format", "json", path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let findings = try #require(((document["files"] as? [[String: Any]])?.first?["findings"]) as? [[String: Any]])
        let byRule = Dictionary(grouping: findings) { $0["rule"] as? String ?? "" }
        let repeated = try #require(byRule.values.first { $0.count > 100 })
        #expect(repeated.count == 101)
        #expect((repeated.last?["message"] as? String)?.hasPrefix("and 150 more findings of this rule, from event 100 on") == true, "\(repeated.last ?? [:])")
    }

    @Test("Unusable input gives one line that says what to do, and exit 2", arguments: [
        (["validate", "/nonexistent.sse"], "cannot read '/nonexistent.sse'"),
        (["validate", "--surface", "images.variations", ValidateCommandTests.stream("images-generate-partial-2.sse")], "unknown surface `images.variations`; known surfaces: images.edit, images.generate, responses"),
        (["validate", "--dialect", "apiyi", "--surface", "responses", ValidateCommandTests.stream("responses-image-generation.sse")], "dialect `apiyi` does not cover surface `responses`"),
        (["validate", "--specs", "/tmp", ValidateCommandTests.stream("responses-image-generation.sse")], "pass --specs"),
        (["validate", "--request", ValidateCommandTests.stream("responses-image-generation.sse"), ValidateCommandTests.stream("responses-image-generation.sse")], "is not JSON"),
    ])
    func unusable(arguments: [String], message: String) throws {
        let result = try TapedeckProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("tapedeck rules lists every rule with level and source, and a dialect's levels")
    func rules() throws {
        let all = try TapedeckProcess.run(["rules"])
        #expect(all.status == 0)
        for id in ["WIRE-001", "IMG-GEN-003", "IMG-EDIT-005", "RESP-021", "AISWING-001", "APIYI-001"] {
            #expect(all.standardOutput.contains(id))
        }
        let azure = try TapedeckProcess.run(["rules", "--surface", "responses", "--dialect", "azure"])
        #expect(azure.standardOutput.contains(/RESP-010 +off/))
    }

    /// The bundled gateway cassette with a progress section of `frames`, as `record --progress` writes it.
    static func gatewayWithProgress(_ frames: [(Int, String)]) throws -> String {
        let source = TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/images-generate-gateway-b64.cassette.json").path
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source))) as? [String: Any])
        document["format"] = "tapedeck-cassette/2"
        var response = try #require(document["response"] as? [String: Any])
        response["headers"] = ((response["headers"] as? [[String: Any]]) ?? []) + [["name": "x-job-id", "value": "job-1"]]
        response["chunks"] = [[((response["chunks"] as? [[Int]])?.first?.first ?? 0), 2_000_000]]
        document["response"] = response
        document["progress"] = ["transport": "socket.io", "url": "ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket", "namespace": "/image-progress",
                                "frames": frames.map { [$0.0, $0.1] as [Any] }]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("gateway-progress.cassette.json").path
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func progress(_ percent: Int, job: String = "job-1") -> String {
        #"42/image-progress,["progress",{"job_id":"\#(job)","progress":\#(percent)}]"#
    }

    @Test("A cassette's progress section is validated with the PROGRESS rules: kept, and broken")
    func progressSection() throws {
        let open = #"0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
        let done = #"42/image-progress,["complete",{"job_id":"job-1","progress":100,"status":"completed"}]"#
        let clean = try Self.gatewayWithProgress([(0, open), (500_000, Self.progress(50)), (1_000_000, Self.progress(100)), (1_000_000, done)])
        let passed = try TapedeckProcess.run(["validate", clean])
        #expect(passed.status == 0, "\(passed.standardOutput)\(passed.standardError)")
        #expect(passed.standardOutput.contains("conforms"))

        let broken = try Self.gatewayWithProgress([(0, open), (400_000, Self.progress(-5)), (500_000, Self.progress(50)), (600_000, Self.progress(40)), (700_000, Self.progress(60, job: "job-9")), (800_000, "42/image-progress,[\"progress\",{")])
        let failed = try TapedeckProcess.run(["validate", broken])
        #expect(failed.status == 1, "\(failed.standardOutput)")
        for rule in ["PROGRESS-001", "PROGRESS-002", "PROGRESS-003", "PROGRESS-004", "PROGRESS-005"] {
            #expect(failed.standardOutput.contains(rule), "\(rule) missing from \(failed.standardOutput)")
        }
    }
}
