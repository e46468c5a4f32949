import Cassette
import Foundation
import MockServer
import Recorder
import ServerTestKit
import Testing

/// The gateway's progress socket recorded beside its exchange, saved, and replayed as recorded.
@Suite("Progress sockets: record, save, replay", .serialized)
struct ProgressRecordingTests {
    static let body = #"{"model":"dall-e-3","prompt":"A watercolor painting of a mountain lake at sunrise","response_format":"b64_json"}"#

    /// Records the gateway cassette's answer at `scenario` with a socket on `socketPath` beside it.
    static func record(_ server: MockServer, socketPath: String, scenario: String, cassette: String = "images-generate-gateway-b64") async throws -> Cassette {
        let socketURL = server.baseURL.replacing("http://", with: "ws://") + socketPath
        var request = Recorder.Request(url: "\(server.baseURL)/c/\(cassette)/s/\(scenario)/v1/images/generations", body: body, name: "progress", surface: "images.generate")
        request.headers = [("Content-Type", "application/json")]
        request.dialect = "gateway"
        let prepared = request
        return try await ServerHarness.blocking {
            let redactor = try Redactor()
            // A minute's bound: early in a full test run, CPU-bound suites hold the cooperative
            // threads the server's sockets are served on for seconds at a time.
            let socket = try ProgressRecorder(url: socketURL, namespace: "/image-progress", redactor: redactor, connectTimeout: .seconds(60))
            socket.requestSent()
            var cassette = try Recorder(redactor: redactor, tool: "tests").record(prepared)
            // Until the completion, or a bound: on a loaded machine the last frames may trail the answer.
            cassette.progress = socket.finish(linger: .seconds(5)) { $0.contains("complete") || $0.contains("execution_success") }
            return cassette
        }
    }

    static func messages(_ tape: ProgressTape?) -> [String] {
        (tape?.frames ?? []).map(\.text).filter { $0.hasPrefix("42") || $0.hasPrefix("{") }
    }

    @Test("A Socket.IO job is recorded frame by frame: open, connect, ten percentages, completion")
    func socketIO() async throws {
        let gateway = try Cassette.load(from: ServerHarness.cassettesDirectory + "/images-generate-gateway-b64.cassette.json")
        try await ServerHarness.withServer({ $0.cassettes = [gateway] }) { server in
            let cassette = try await Self.record(server, socketPath: "/socket.io/?EIO=4&transport=websocket", scenario: "time-scale=0.25")
            let tape = try #require(cassette.progress)
            let job = try #require(cassette.response.headers.first(named: "x-job-id"))
            #expect(tape.transport == "socket.io" && tape.namespace == "/image-progress")
            #expect(tape.frames.first?.text.hasPrefix("0{\"sid\":") == true)
            #expect(tape.frames.contains { $0.text.hasPrefix("40/image-progress,{\"sid\":") })
            let messages = Self.messages(tape)
            #expect(messages.count == 11)
            #expect(messages.first == #"42/image-progress,["progress",{"job_id":"\#(job)","progress":10}]"#)
            #expect(messages.last == #"42/image-progress,["complete",{"job_id":"\#(job)","progress":100,"status":"completed"}]"#)
            #expect(tape.frames.map(\.at) == tape.frames.map(\.at).sorted())
        }
    }

    @Test("Saved as format 2, loaded back equal; replayed, a socket hears the recorded messages in order")
    func saveAndReplay() async throws {
        let gateway = try Cassette.load(from: ServerHarness.cassettesDirectory + "/images-generate-gateway-b64.cassette.json")
        let recorded = try await ServerHarness.withServer({ $0.cassettes = [gateway] }) { server in
            try await Self.record(server, socketPath: "/ws", scenario: "time-scale=0.25,fault=progress:backwards@50")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)").path
        try recorded.save(to: folder + "/progress.cassette.json")
        #expect(String(decoding: FileManager.default.contents(atPath: folder + "/progress.cassette.json") ?? Data(), as: UTF8.self).contains("\"tapedeck-cassette/2\""))
        let loaded = try Cassette.load(from: folder + "/progress.cassette.json")
        // Times are kept to the microsecond.
        #expect(loaded.progress?.frames.map(\.text) == recorded.progress?.frames.map(\.text))
        #expect(loaded.progress?.frames.map { $0.at.components.attoseconds / 1_000_000_000_000 } == recorded.progress?.frames.map { $0.at.components.attoseconds / 1_000_000_000_000 })
        #expect(loaded.progress?.transport == "websocket" && loaded.response.recording.bytes == recorded.response.recording.bytes)

        let replayed = try await ServerHarness.withServer({ $0.cassettes = [loaded]; $0.synthesize = false }) { server in
            try await Self.record(server, socketPath: "/ws", scenario: "time-scale=1", cassette: "progress")
        }
        #expect(Self.messages(replayed.progress) == Self.messages(recorded.progress))
        #expect(Self.messages(replayed.progress).count == 12)
        #expect(replayed.response.headers.first(named: "x-job-id") == recorded.response.headers.first(named: "x-job-id"))
    }

    @Test("Without a listening socket, a gateway answer is not held")
    func noListenerNoWait() async throws {
        let gateway = try Cassette.load(from: ServerHarness.cassettesDirectory + "/images-generate-gateway-b64.cassette.json")
        try await ServerHarness.withServer({ $0.cassettes = [gateway] }) { server in
            var request = Recorder.Request(url: "\(server.baseURL)/c/images-generate-gateway-b64/v1/images/generations", body: Self.body, name: "plain", surface: "images.generate")
            request.headers = [("Content-Type", "application/json")]
            let prepared = request
            let cassette = try await ServerHarness.blocking { try Recorder(redactor: try Redactor(), tool: "tests").record(prepared) }
            // No job was made, so nothing held the answer (a timed bound would fail on a loaded machine).
            #expect(cassette.response.status == 200)
            #expect(cassette.response.headers.first(named: "x-job-id") == nil)
        }
    }

    @Test("A wss:// socket is refused with what to do instead")
    func refusesTLS() throws {
        #expect(throws: RecordingFailure.self) {
            try ProgressRecorder(url: "wss://gateway.example/socket.io/?EIO=4&transport=websocket", namespace: "/image-progress", redactor: try Redactor())
        }
    }
}
