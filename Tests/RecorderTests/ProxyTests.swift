import Cassette
import Foundation
import MockServer
import Proxy
import Recorder
import SSEWire
import ServerTestKit
import Testing

/// `tapedeck proxy` on loopback, in front of Tapedeck's own server as the upstream.
@Suite("tapedeck proxy records and replays", .serialized)
struct ProxyTests {
    static let paced = "/s/chunking=fixed:8192,pace=10ms"
    static let path = "/v1/images/generations"
    /// Replays keep the recorded chunks, at least 25 ms apart so that the client reads each on
    /// its own; a recording streams through whatever the prefix says.
    static let replayPath = "/s/chunking=recorded,pace=25ms/v1/images/generations"

    struct ModeCase: CustomTestStringConvertible, Sendable {
        let mode: RecordMode
        /// Requests the upstream answers when the same request is sent twice into an empty folder.
        let upstreamRequests: Int
        let cassettesWritten: Int
        var testDescription: String { mode.rawValue }
    }

    @Test("The same request twice into an empty folder: recorded or replayed as the mode says", arguments: [
        ModeCase(mode: .once, upstreamRequests: 1, cassettesWritten: 1),
        ModeCase(mode: .newEpisodes, upstreamRequests: 1, cassettesWritten: 1),
        ModeCase(mode: .all, upstreamRequests: 2, cassettesWritten: 1),
        ModeCase(mode: .none, upstreamRequests: 0, cassettesWritten: 0),
    ])
    func modes(_ rule: ModeCase) async throws {
        let folder = ProxyHarness.temporaryFolder("proxy-\(rule.mode.rawValue)")
        try await ProxyHarness.withUpstream { upstream, counter in
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + Self.paced, folder: folder, mode: rule.mode) { proxy in
                let first = try await ProxyHarness.send(proxy.baseURL + Self.replayPath)
                let second = try await ProxyHarness.send(proxy.baseURL + Self.replayPath)
                #expect(counter.value == rule.upstreamRequests)
                #expect(ProxyHarness.cassetteFiles(in: folder).count == rule.cassettesWritten)
                if rule.mode == .none {
                    #expect(first.response.status == 404)
                    #expect(String(decoding: first.response.recording.bytes, as: UTF8.self).contains("cassette_not_found"))
                    return
                }
                #expect(first.response.status == 200)
                #expect(first.response.ending == .complete)
                // How the bytes were cut into reads is not compared between recordings: TCP
                // does not promise it. Each recording's boundaries match its own arrivals.
                #expect(Self.boundariesMatchArrivals(first.response))
                let sameBytes = second.response.recording.bytes == first.response.recording.bytes
                #expect(sameBytes)
                let onDisk = try Cassette.load(from: folder + "/" + (try #require(ProxyHarness.cassetteFiles(in: folder).first)))
                let recordedBytes = onDisk.response.recording.bytes == second.response.recording.bytes
                #expect(recordedBytes)
                #expect(Self.boundariesMatchArrivals(onDisk.response) && Self.boundariesMatchArrivals(second.response))
            }
        }
    }

    @Test("A recorded cassette holds the upstream's bytes and chunks, under the name its request hashes to, and replays with the upstream gone")
    func recordThenReplayWithoutUpstream() async throws {
        let folder = ProxyHarness.temporaryFolder("proxy-replay")
        let recorded = try await ProxyHarness.withUpstream { upstream, _ in
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + Self.paced, folder: folder, mode: .newEpisodes) { proxy in
                try await ProxyHarness.send(proxy.baseURL + Self.path)
            }
        }
        let files = ProxyHarness.cassetteFiles(in: folder)
        try #require(files.count == 1)
        let cassette = try Cassette.load(from: folder + "/" + files[0])
        #expect(files[0] == Cassette.name(surface: "images.generate", request: cassette.request) + Cassette.fileExtension)
        #expect(files[0].hasPrefix("images-generate-"))
        let sameBytes = cassette.response.recording.bytes == recorded.response.recording.bytes
        #expect(sameBytes)
        #expect(Self.boundariesMatchArrivals(cassette.response) && cassette.response.recording.chunkEnds.count > 1)
        #expect(cassette.request.headers.first(named: "Authorization") == "Bearer [redacted]")
        #expect(cassette.request.path == Self.path)

        // The upstream is gone: only the cassette can answer, in every replaying mode.
        for mode in [RecordMode.none, .once, .newEpisodes] {
            let replayed = try await ProxyHarness.withProxy(upstream: "http://127.0.0.1:1", folder: folder, mode: mode) { proxy in
                try await ProxyHarness.send(proxy.baseURL + Self.replayPath)
            }
            #expect(replayed.response.status == 200, "\(mode): \(String(decoding: replayed.response.recording.bytes.prefix(600), as: UTF8.self))")
            let replayedSame = replayed.response.recording.bytes == recorded.response.recording.bytes
            #expect(replayedSame, "\(mode)")
            #expect(Self.boundariesMatchArrivals(replayed.response), "\(mode)")
        }
    }

    @Test("A miss in mode none, or in mode once with a filled folder, is an OpenAI-shaped 404 naming the nearest cassette")
    func missNamesNearest() async throws {
        let folder = ProxyHarness.temporaryFolder("proxy-nearest")
        try await ProxyHarness.withUpstream { upstream, _ in
            try await ProxyHarness.withProxy(upstream: upstream.baseURL, folder: folder, mode: .newEpisodes) { proxy in
                _ = try await ProxyHarness.send(proxy.baseURL + Self.path)
            }
        }
        let recordedName = String(try #require(ProxyHarness.cassetteFiles(in: folder).first).dropLast(Cassette.fileExtension.count))
        let other = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":1,"size":"1024x1024"}"#
        for mode in [RecordMode.none, .once] {
            let miss = try await ProxyHarness.withProxy(upstream: "http://127.0.0.1:1", folder: folder, mode: mode) { proxy in
                try await ProxyHarness.send(proxy.baseURL + Self.path, body: other)
            }
            #expect(miss.response.status == 404)
            let error = try #require(try JSONSerialization.jsonObject(with: Data(miss.response.recording.bytes)) as? [String: [String: Any]])
            let message = try #require(error["error"]?["message"] as? String)
            #expect(error["error"]?["code"] as? String == "cassette_not_found")
            #expect(message.contains("nearest cassette: \(recordedName)"), "\(message)")
            #expect(message.contains("partial_images is 1, the cassette has 2"), "\(message)")
            #expect(message.contains("--record-mode \(mode.rawValue)"))
        }
    }

    @Test("A paced upstream's first bytes reach the client long before the upstream has finished")
    func streamsThrough() async throws {
        let folder = ProxyHarness.temporaryFolder("proxy-pace")
        try await ProxyHarness.withUpstream { upstream, _ in
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + "/s/chunking=fixed:8000,pace=60ms", folder: folder, mode: .all) { proxy in
                let received = try await ProxyHarness.send(proxy.baseURL + Self.path)
                let times = received.response.chunkTimes
                #expect(received.response.ending == .complete)
                #expect(times.count >= 2)
                let first = try #require(times.first), last = try #require(times.last)
                // 60 ms between upstream writes: each reaches the client on its own, as it is
                // written; a proxy that held the response would hand it over at once at the end.
                #expect(last - first >= .milliseconds(60 * (times.count - 1) * 8 / 10), "\(times)")
                let recorded = try Cassette.load(from: folder + "/" + (try #require(ProxyHarness.cassetteFiles(in: folder).first)))
                #expect(recorded.response.recording.bytes == received.response.recording.bytes)
                #expect(Self.boundariesMatchArrivals(recorded.response))
            }
        }
    }

    @Test("Upstream errors and cut streams are relayed as they came, and recorded")
    func upstreamFaults() async throws {
        try await ProxyHarness.withUpstream { upstream, _ in
            let errors = ProxyHarness.temporaryFolder("proxy-429")
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + "/s/fault=status:429:retry-after=3", folder: errors, mode: .all) { proxy in
                let error = try await ProxyHarness.send(proxy.baseURL + Self.path)
                #expect(error.response.status == 429)
                #expect(error.response.headers.first(named: "Retry-After") == "3")
                #expect(String(decoding: error.response.recording.bytes, as: UTF8.self).contains("rate_limit_exceeded"))
            }
            let recordedError = try Cassette.load(from: errors + "/" + (try #require(ProxyHarness.cassetteFiles(in: errors).first)))
            #expect(recordedError.response.status == 429)

            let cuts = ProxyHarness.temporaryFolder("proxy-cut")
            try await ProxyHarness.withProxy(upstream: upstream.baseURL + "/s/fault=close-after-bytes:5000", folder: cuts, mode: .all) { proxy in
                let cut = try await ProxyHarness.send(proxy.baseURL + Self.path)
                #expect(cut.response.ending == .truncated)
                #expect(cut.response.recording.bytes.count == 5000)
            }
            let recordedCut = try Cassette.load(from: cuts + "/" + (try #require(ProxyHarness.cassetteFiles(in: cuts).first)))
            #expect(recordedCut.response.ending == .truncated)
            #expect(recordedCut.response.recording.bytes.count == 5000)
        }
    }

    @Test("An unreachable upstream gets a 502 naming it (its password redacted) and the cause; --record-failures records that answer")
    func unreachableUpstream() async throws {
        for recordFailures in [false, true] {
            let folder = ProxyHarness.temporaryFolder("proxy-unreachable")
            let answer = try await ProxyHarness.withProxy(upstream: "http://ada:hunter2@127.0.0.1:1", folder: folder, mode: .newEpisodes, configure: { $0.recordFailures = recordFailures }) { proxy in
                try await ProxyHarness.send(proxy.baseURL + Self.path)
            }
            #expect(answer.response.status == 502)
            let text = String(decoding: answer.response.recording.bytes, as: UTF8.self)
            #expect(text.contains("http://ada:[redacted]@127.0.0.1:1/v1/images/generations"), "\(text)")
            #expect(!text.contains("hunter2"))
            #expect(text.contains("upstream_connect_failed"), "\(text)")
            let files = ProxyHarness.cassetteFiles(in: folder)
            #expect(files.count == (recordFailures ? 1 : 0))
            if let file = files.first {
                let failure = try Cassette.load(from: folder + "/" + file)
                #expect(failure.response.ending == .failed)
                #expect(failure.response.status == 502)
                #expect(failure.response.recording.bytes.elementsEqual(answer.response.recording.bytes))
            }
        }
    }

    /// A recording's own account is consistent: one arrival time per chunk, in order, and
    /// chunks that cover the body.
    static func boundariesMatchArrivals(_ response: RecordedResponse) -> Bool {
        let ends = response.recording.chunkEnds
        return ends.count == response.chunkTimes.count && ends.last == response.recording.bytes.count
            && zip(response.chunkTimes, response.chunkTimes.dropFirst()).allSatisfy { $0 <= $1 }
    }
}
