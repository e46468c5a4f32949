@testable import Delivery
import PropertyBased
import SSEWire
import Testing
import TestKit

@Suite("Adversarial chunking cuts at every hazard")
struct AdversarialTests {
    /// Hand-made streams with every hazard in them.
    static let streams: [(name: String, bytes: [UInt8])] = [
        ("crlf with BOM and UTF-8", [0xEF, 0xBB, 0xBF] + Array("event: image_generation.partial_image\r\ndata: {\"type\":\"x\",\"note\":\"café 🦦 ü\"}\r\n\r\n: comment: with colon\r\nid: 7\r\ndata: second\r\ndata:third\r\n\r\n".utf8)),
        ("lf", Array("data: {\"a\":1}\n\nevent: x\ndata\n\ndata: ✓\n\n\n".utf8)),
        ("cr", Array("retry: 1000\rdata: é\r\rdata: b\r\r".utf8)),
        ("mixed", Array("data: a\r\n\ndata: b\n\r\ndata: c\r\r\n".utf8)),
        ("unterminated", Array("data: done\n\ndata: half".utf8)),
    ]

    @Test("Every hazard offset is a fragment boundary", arguments: Hazard.allCases)
    func cutsAtEveryHazard(_ hazard: Hazard) throws {
        for stream in Self.streams {
            let plan = try Check.plan(stream.bytes, "chunking=adversarial,seed=3")
            let boundaries = Check.boundaries(plan.fragments)
            let offsets = Hazard.offsets(of: hazard, in: stream.bytes)
            let missing = offsets.filter { !boundaries.contains($0) }
            #expect(missing.isEmpty, "\(stream.name): no cut at \(missing)")
            #expect(Check.fragmentProblem(plan.fragments, end: stream.bytes.count) == nil)
            #expect(Check.parseDelivered(plan).events == SSEParser.parse(stream.bytes).events)
        }
    }

    @Test("The hand-made streams have every hazard")
    func streamsHaveHazards() {
        for hazard in Hazard.allCases {
            #expect(Self.streams.contains { !Hazard.offsets(of: hazard, in: $0.bytes).isEmpty }, "\(hazard)")
        }
    }

    @Test("Random image streams: cuts at every hazard, after any rewrite, and nowhere else but a few seeded cuts")
    func randomStreams() async {
        let extras = ["", ",eol=crlf", ",eol=cr", ",heartbeat=1,fault=id-lines", ",fault=bom"]
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...(extras.count - 1))) { seed, extraIndex in
            let extra = extras[extraIndex]
            let body = Streams.images(Streams.options(seed: UInt64(seed)), seed: UInt64(seed))
            let plan = try Check.plan(body, "chunking=adversarial,seed=\(seed)" + extra)
            let boundaries = Check.boundaries(plan.fragments)
            var hazards: Set<Int> = []
            for hazard in Hazard.allCases {
                let offsets = Hazard.offsets(of: hazard, in: plan.body)
                hazards.formUnion(offsets)
                #expect(offsets.allSatisfy(boundaries.contains), "\(hazard) in \(extra)")
            }
            #expect(boundaries.subtracting(hazards).count <= ChunkCuts.adversarialRandomCuts)
            #expect(Check.parseDelivered(plan).events.map(Seen.init) == Check.seen(parsing: plan.body))
        }
    }

    @Test("Cuts are limited to what is delivered when a close comes first")
    func cutsStopAtClose() throws {
        let body = Self.streams[0].bytes
        let plan = try Check.plan(body, "chunking=adversarial,fault=close-after-bytes:50")
        #expect(Check.fragmentProblem(plan.fragments, end: 50) == nil)
        #expect(plan.ending == .close)
    }
}
