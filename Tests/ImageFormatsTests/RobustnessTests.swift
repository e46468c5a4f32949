import ImageFormats
import TestKit
import Testing


// Whatever the bytes, inspection returns: these tests pass by not trapping, and check that
// what is returned stays consistent.
// The limit catches a hang, not slowness: on a loaded two-core runner one fixture's sweep took over a minute.
@Suite("Hostile input: no crash, and incomplete input is never complete", .timeLimit(.minutes(5)))
struct RobustnessTests {
    @Test("Every proper prefix of a fixture keeps its format and is reported incomplete", arguments: allFixtures)
    func everyPrefix(_ fixture: Intact) {
        for length in 0..<fixture.bytes.count {
            let result = ImageInspector.inspect(fixture.bytes[..<length])
            #expect(!result.isComplete, "prefix of \(length) bytes")
            #expect(!result.problems.isEmpty, "prefix of \(length) bytes")
            #expect(result.format == (length == 0 ? nil : fixture.format), "prefix of \(length) bytes")
        }
    }

    @Test("Every single-byte change to a fixture is inspected without a crash", arguments: allFixtures)
    func everyByteChanged(_ fixture: Intact) {
        for offset in fixture.bytes.indices {
            for mask: UInt8 in [0x01, 0x10, 0x80, 0xFF] {
                let result = ImageInspector.inspect(fixture.bytes.flipping(offset, mask: mask))
                #expect(result.problems.count <= InspectionOptions().maxProblems + 1)
            }
        }
    }

    @Test("Random bytes, bare or behind each format's magic, are inspected without a crash")
    func randomBytes() {
        var random = SeededRandom(seed: 0x1DEA_5EED)
        let magics: [[UInt8]] = [
            [], pngSignature, pngSignature + [0, 0, 0, 13] + ascii("IHDR"), [0xFF, 0xD8], [0xFF, 0xD8, 0xFF, 0xDA, 0, 2],
            ascii("RIFF") + le32(400) + ascii("WEBP"), ascii("RIFF") + le32(400) + ascii("WEBPVP8X") + le32(10),
        ]
        for magic in magics {
            for _ in 0..<150 {
                let length = Int(random.next() % 400)
                let bytes = magic + random.bytes(length)
                let result = ImageInspector.inspect(bytes)
                if magic.isEmpty && result.format == nil {
                    #expect(result.problems == [.unknownFormat(firstBytes: Array(bytes.prefix(16)))] || bytes.isEmpty)
                }
                #expect(!result.isComplete || result.format != nil)
            }
        }
    }

    @Test("Fixtures with random bytes overwritten and random cuts are inspected without a crash", arguments: allFixtures)
    func randomDamage(_ fixture: Intact) {
        var random = SeededRandom(seed: UInt64(fixture.bytes.count))
        for _ in 0..<200 {
            var bytes = fixture.bytes
            for _ in 0..<(1 + random.next() % 4) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 2 == 0 {
                let cut = Int(random.next() % UInt64(bytes.count))
                bytes.removeSubrange(cut..<(cut + Int(random.next() % UInt64(bytes.count - cut))))
            }
            // Damaged bytes are never taken for a whole, intact image of another format, and
            // whatever is wrong is said.
            let result = ImageInspector.inspect(bytes)
            #expect(result.format == nil || result.format == fixture.format || bytes.count < 16)
            #expect(result.isComplete || !result.problems.isEmpty, "an incomplete image names its problem")
        }
    }

    @Test("A long run of bad-CRC chunks records a bounded list of problems")
    func boundedProblems() {
        let junk = PNGChunk(type: "tEXt", data: [1]).bytes.flipping(12)   // a bad CRC
        let bytes = pngFile(pngChunks(Fixtures.pngRGB8x6).prefix(1)) + Array([[UInt8]](repeating: junk, count: 1000).joined())
        let result = ImageInspector.inspect(bytes)
        #expect(result.problems.count == 65)
        #expect(result.problems.last == .tooManyProblems(limit: 64))
    }
}
