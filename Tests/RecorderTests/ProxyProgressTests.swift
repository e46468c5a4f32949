import Cassette
import Foundation
import MockServer
import Proxy
import Recorder
import ServerTestKit
import Testing

/// The proxy records the upstream's progress socket beside each exchange it records.
@Suite("tapedeck proxy --progress", .serialized)
struct ProxyProgressTests {
    @Test("Each recorded exchange gets the upstream's progress frames, and a replay of the cassette sends them again")
    func recordsProgress() async throws {
        let gateway = try Cassette.load(from: ServerHarness.cassettesDirectory + "/images-generate-gateway-b64.cassette.json")
        let folder = ProxyHarness.temporaryFolder("proxy-progress")
        try await ServerHarness.withServer({ $0.cassettes = [gateway]; $0.synthesize = false }) { upstream in
            let socket = upstream.baseURL.replacing("http://", with: "ws://") + "/socket.io/?EIO=4&transport=websocket"
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + "/c/images-generate-gateway-b64/s/time-scale=0.25", folder: folder, mode: .newEpisodes, configure: {
                $0.progress = .init(url: socket, namespace: "/image-progress", linger: .seconds(5)) { $0.contains("\"complete\"") }
            }) { proxy in
                let answered = try await ProxyHarness.send("\(proxy.baseURL)/v1/images/generations", body: ProgressRecordingTests.body)
                #expect(answered.response.status == 200)
            }
        }
        let files = ProxyHarness.cassetteFiles(in: folder)
        let recorded = try Cassette.load(from: folder + "/" + #require(files.first))
        let tape = try #require(recorded.progress)
        let job = try #require(recorded.response.headers.first(named: "x-job-id"))
        #expect(tape.transport == "socket.io")
        #expect(ProgressRecordingTests.messages(tape).count == 11)
        #expect(ProgressRecordingTests.messages(tape).allSatisfy { $0.contains(job) })
    }

    @Test("A progress socket that cannot be opened costs the progress section, never the exchange")
    func unreachableSocket() async throws {
        let gateway = try Cassette.load(from: ServerHarness.cassettesDirectory + "/images-generate-gateway-b64.cassette.json")
        let folder = ProxyHarness.temporaryFolder("proxy-progress-down")
        try await ServerHarness.withServer({ $0.cassettes = [gateway]; $0.synthesize = false }) { upstream in
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + "/c/images-generate-gateway-b64", folder: folder, mode: .newEpisodes, configure: {
                $0.progress = .init(url: upstream.baseURL.replacing("http://", with: "ws://") + "/not-a-socket", namespace: "/image-progress", linger: .milliseconds(100)) { _ in false }
                $0.connectTimeout = .seconds(2)
            }) { proxy in
                let answered = try await ProxyHarness.send("\(proxy.baseURL)/v1/images/generations", body: ProgressRecordingTests.body)
                #expect(answered.response.status == 200)
            }
        }
        let recorded = try Cassette.load(from: folder + "/" + #require(ProxyHarness.cassetteFiles(in: folder).first))
        #expect(recorded.progress == nil)
        #expect(recorded.response.status == 200)
    }
}
