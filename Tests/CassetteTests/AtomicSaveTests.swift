import Foundation
import Testing
@testable import Cassette

@Suite("Atomic saves")
struct AtomicSaveTests {
    @Test("until the rename only a hidden temporary file exists, complete; afterwards nothing stray remains")
    func temporaryThenRename() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let path = "\(folder)/fresh.cassette.json"
        let payload = Fixture.base64(count: 100_000, seed: 21)
        let cassette = try Fixture.cassette(name: "fresh", body: Fixture.imageStream(partials: [payload]))
        var temporaryText: String?

        try cassette.save(to: path) { temporary in
            #expect(!FileManager.default.fileExists(atPath: path), "the cassette must not appear before the rename")
            let name = String(temporary.split(separator: "/").last!)
            #expect(temporary.hasPrefix(folder + "/"))
            #expect(name.hasPrefix(".fresh.cassette.json.tmp-"))
            #expect(Fixture.entries(folder) == [name, "blobs"].sorted())
            #expect(Fixture.entries("\(folder)/blobs").count == 1, "blobs are written before the cassette that needs them")
            #expect(((try? Cassette.loadAll(in: folder)) ?? [cassette]).isEmpty, "a temporary file is never loaded")
            temporaryText = try? Fixture.text(temporary)
        }

        #expect(Fixture.entries(folder) == ["blobs", "fresh.cassette.json"])
        #expect(Fixture.entries("\(folder)/blobs").allSatisfy { $0.hasSuffix(".b64") && !$0.hasPrefix(".") })
        #expect(temporaryText == (try Fixture.text(path)))
        #expect(try Cassette.load(from: path) == cassette)
    }

    @Test("while a new version is being written, the old cassette stays whole")
    func overwriteKeepsOld() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let path = "\(folder)/kept.cassette.json"
        let old = try Fixture.cassette(name: "kept", body: Fixture.imageStream(partials: ["YQ=="]))
        let new = try Fixture.cassette(name: "kept", body: Fixture.imageStream(partials: ["Yg==", "Yw=="]))
        try old.save(to: path)
        try new.save(to: path) { _ in
            #expect((try? Cassette.load(from: path)) == old)
        }
        #expect(try Cassette.load(from: path) == new)
    }

    @Test("a temporary file left by a killed writer is ignored, and the next save succeeds")
    func killedWriter() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let full = try Fixture.cassette(name: "victim", body: Fixture.imageStream(partials: ["YQ=="]))
        try full.save(to: "\(folder)/victim.cassette.json")
        let text = try Fixture.text("\(folder)/victim.cassette.json")
        try Fixture.write(String(text.prefix(text.count / 2)), to: "\(folder)/.other.cassette.json.tmp-4242-abc")

        #expect(try Cassette.loadAll(in: folder) == [full])
        try full.save(to: "\(folder)/victim.cassette.json")
        #expect(try Cassette.loadAll(in: folder) == [full])
    }

    @Test("the next save of a cassette deletes the temporary files killed writers left of it, and only those")
    func abandonedTemporariesRemoved() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        // A process that has ended: its pid names no process now.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let abandoned = ".victim.cassette.json.tmp-\(ended.processIdentifier)-abc"
        let live = ".victim.cassette.json.tmp-\(getpid())-def"
        let otherCassette = ".other.cassette.json.tmp-\(ended.processIdentifier)-ghi"
        for name in [abandoned, live, otherCassette] { try Fixture.write("{", to: "\(folder)/\(name)") }

        try Fixture.cassette(name: "victim", body: Fixture.imageStream(partials: ["YQ=="])).save(to: "\(folder)/victim.cassette.json")
        #expect(Fixture.entries(folder).filter { $0.hasPrefix(".") } == [live, otherCassette].sorted())
        #expect(Fixture.entries(folder).contains("victim.cassette.json"))
    }

    @Test("an existing blob with the right hash is reused; a damaged one is rewritten")
    func blobReuse() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 70_000, seed: 22)
        let cassette = try Fixture.cassette(name: "reuse", body: Fixture.imageStream(partials: [payload]))
        try cassette.save(to: "\(folder)/reuse.cassette.json")
        let blob = "\(folder)/blobs/\(Fixture.entries("\(folder)/blobs")[0])"

        var damaged = Array(payload.utf8)
        damaged[5] = damaged[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(damaged).write(to: URL(fileURLWithPath: blob))
        try cassette.save(to: "\(folder)/reuse.cassette.json")
        #expect(try Data(contentsOf: URL(fileURLWithPath: blob)) == Data(payload.utf8))
        #expect(try Cassette.load(from: "\(folder)/reuse.cassette.json") == cassette)
    }
}

@Suite("Speed")
struct SpeedTests {
    @Test("loading a cassette with a 24 MiB blob takes well under two seconds, even in a debug build")
    func largeBlobLoad() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 24 << 20, seed: 31)
        let cassette = try Fixture.cassette(name: "huge", body: Fixture.imageStream(partials: [payload]), maxChunk: 16_384)
        try cassette.save(to: "\(folder)/huge.cassette.json")

        let clock = ContinuousClock()
        var loaded: Cassette?
        let elapsed = try clock.measure {
            loaded = try Cassette.load(from: "\(folder)/huge.cassette.json")
        }
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(loaded?.response.recording.bytes == cassette.response.recording.bytes)
        #expect(loaded?.response.recording.chunkEnds == cassette.response.recording.chunkEnds)
    }
}
