import Foundation
import Testing

/// `tapedeck cassette replay` against `tapedeck serve`: byte-exact however the body is cut, an
/// early end only where the scenario asks for one, and an unreachable server never a pass.
@Suite("cassette replay", .serialized)
struct CassetteReplayCommandTests {
    static let cassettes = ["images-generate-png-partial-2", "responses-png-partial-1"].map {
        TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/\($0).cassette.json").path
    }

    @Test("replay over every cut passes, an asked-for cut passes, an early end nobody asked for fails, no server is exit 2")
    func replay() throws {
        let server = try BackgroundProcess.tapedeck(["serve", "--cassettes", "Cassettes", "--port", "0", "--quiet"])
        defer { _ = server.stop() }
        for scenario in ["chunking=whole", "chunking=adversarial,seed=3", "chunking=bytes", "eol=crlf,heartbeat=1"] {
            let result = try TapedeckProcess.run(["cassette", "replay", "--url", server.url, "--scenario", scenario] + Self.cassettes, timeout: 120)
            #expect(result.status == 0, "\(scenario): \(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.contains("2 passed, 0 failed"))
        }
        let bytes = try TapedeckProcess.run(["cassette", "replay", "--url", server.url, "--scenario", "chunking=bytes", Self.cassettes[0]], timeout: 120)
        let reads = try #require(bytes.standardOutput.firstMatch(of: /bytes in ([0-9]+) reads, identical/)).output.1
        #expect(Int(reads)! > 1, "the reads are counted: \(bytes.standardOutput)")

        let cut = try TapedeckProcess.run(["cassette", "replay", "--url", server.url, "--scenario", "fault=reset-after-bytes:2500", Self.cassettes[0]], timeout: 120)
        #expect(cut.status == 0, "\(cut.standardOutput)")
        #expect(cut.standardOutput.contains("2500 bytes in"))
        #expect(cut.standardOutput.contains("connection reset, as the scenario cuts it"))

        let cutting = try BackgroundProcess.tapedeck(["serve", "--cassettes", "Cassettes", "--port", "0", "--quiet", "--fault", "close-after-event:0"])
        defer { _ = cutting.stop() }
        let unasked = try TapedeckProcess.run(["cassette", "replay", "--url", cutting.url, Self.cassettes[0]], timeout: 120)
        #expect(unasked.status == 1, "\(unasked.standardOutput)")
        #expect(unasked.standardOutput.contains("connection closed early, which no fault asked for"))

        _ = server.stop()
        let gone = try TapedeckProcess.run(["cassette", "replay", "--url", server.url, Self.cassettes[0]], timeout: 120)
        #expect(gone.status == 2, "a server that cannot be reached is never a pass: \(gone.standardOutput)")
        #expect(gone.standardError.contains("cannot connect"))
    }
}
