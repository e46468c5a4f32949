import Cassette
import Delivery
import Foundation
import MockServer
import Proxy
import Recorder
import ServerTestKit
import Synchronization

/// A recording proxy on loopback in front of an upstream, and a client that records what it
/// receives through it, chunk by chunk.
enum ProxyHarness {
    static func withProxy<T>(
        upstream: String, folder: String, mode: RecordMode,
        configure: (inout RecordingProxy.Configuration) -> Void = { _ in },
        _ body: (MockServer) async throws -> T
    ) async throws -> T {
        var settings = RecordingProxy.Configuration(upstream: upstream, cassettes: folder, redactor: try Redactor())
        settings.mode = mode
        configure(&settings)
        let proxy = try RecordingProxy(configuration: settings, tool: "tests")
        let replay = try Scenario(parsing: "chunking=recorded")
        return try await ServerHarness.withServer({
            $0.synthesize = false
            $0.interceptor = proxy
            $0.defaultScenario = replay
        }, body)
    }

    /// An upstream `tapedeck serve` that counts the requests it answers.
    static func withUpstream<T>(_ body: (MockServer, RequestCounter) async throws -> T) async throws -> T {
        let counter = RequestCounter()
        return try await ServerHarness.withServer({ $0.log = { _ in counter.increment() } }) { server in
            try await body(server, counter)
        }
    }

    /// What a client received: the response as a cassette, recorded on the client's side.
    static func send(_ url: String, body: String = RecorderTests.body) async throws -> Cassette {
        try await RecorderTests.record(url, body: body)
    }

    static func temporaryFolder(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    }

    static func cassetteFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(Cassette.fileExtension) }.sorted()
    }
}

final class RequestCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
