@testable import Delivery
import SSEWire
import Testing

@Suite("A 24 MiB single-event body is planned quickly, as ranges")
struct LargeBodyTests {
    static let payloadSize = 24 << 20

    /// One completed event whose base64 is 24 MiB on one `data` line.
    static let body: [UInt8] = {
        var bytes = Array(#"event: image_generation.completed"#.utf8) + [0x0D, 0x0A]
        bytes += Array(#"data: {"type":"image_generation.completed","b64_json":""#.utf8)
        bytes += [UInt8](repeating: 0x41, count: payloadSize)
        bytes += Array(#"","usage":{"total_tokens":100}}"#.utf8) + [0x0D, 0x0A, 0x0D, 0x0A]
        return bytes
    }()

    static func timed(_ text: String) throws -> (DeliveryPlan, Duration) {
        let scenario = try Scenario(parsing: text)
        let clock = ContinuousClock()
        let start = clock.now
        let plan = DeliveryPlanner.plan(body: body, isEventStream: true, surface: "images.generate", recordedChunks: nil, scenario: scenario)
        return (plan, clock.now - start)
    }

    @Test("bytes chunking: one fragment per byte, stored as one run, planned in well under 2 s")
    func bytes() throws {
        let (plan, elapsed) = try Self.timed("chunking=bytes")
        #expect(elapsed < .seconds(2), "planning took \(elapsed)")
        #expect(plan.fragments.count == Self.body.count)
        #expect(plan.fragments.runs.count == 1)
        #expect(plan.fragments[0] == Fragment(range: 0..<1))
        #expect(plan.fragments[Self.body.count - 1] == Fragment(range: (Self.body.count - 1)..<Self.body.count))
        #expect(plan.fragments[12_345_678].range == 12_345_678..<12_345_679)
        #expect(plan.body.count == Self.body.count)
    }

    @Test("adversarial chunking: structural cuts only, so few fragments")
    func adversarial() throws {
        let (plan, elapsed) = try Self.timed("chunking=adversarial,seed=1")
        #expect(elapsed < .seconds(2), "planning took \(elapsed)")
        #expect(plan.fragments.count < 40, "\(plan.fragments.count) fragments")
        #expect(Check.fragmentProblem(plan.fragments, end: Self.body.count) == nil)
        let boundaries = Check.boundaries(plan.fragments)
        for hazard in Hazard.allCases where hazard != .insideUTF8 {
            // The 24 MiB interior holds no hazard: check the ends only.
            let head = Array(Self.body.prefix(200))
            for offset in Hazard.offsets(of: hazard, in: head) where offset < 100 {
                #expect(boundaries.contains(offset), "\(hazard) at \(offset)")
            }
        }
        #expect(boundaries.contains(Self.body.count - 1)) // inside the last CRLF
        #expect(boundaries.contains(Self.body.count - 2)) // between the blank line's line ends
    }

    @Test("adversarial with a line-ending rewrite and a fault: one copy, still fast")
    func rewritten() throws {
        let (plan, elapsed) = try Self.timed("chunking=adversarial,eol=lf,fault=id-lines,fault=close-after-event:0")
        #expect(elapsed < .seconds(2), "planning took \(elapsed)")
        #expect(plan.body.count == Self.body.count - 3 + 6)
        #expect(plan.fragments.count < 40)
        #expect(plan.deliveredByteCount == plan.body.count)
        #expect(plan.ending == .close)
    }

    @Test("truncate-final-image on the 24 MiB event: still fast, half the payload")
    func truncated() throws {
        let (plan, elapsed) = try Self.timed("fault=truncate-final-image,chunking=adversarial")
        #expect(elapsed < .seconds(2), "planning took \(elapsed)")
        #expect(plan.body.count == Self.body.count - Self.payloadSize / 2)
        #expect(plan.body.suffix(39) == ArraySlice(Array(#"AAAA","usage":{"total_tokens":100}}"#.utf8) + [0x0D, 0x0A, 0x0D, 0x0A]))
    }

    @Test("random chunking: tens of thousands of fragments, not millions")
    func random() throws {
        let (plan, elapsed) = try Self.timed("chunking=random,seed=4")
        #expect(elapsed < .seconds(2), "planning took \(elapsed)")
        #expect((20_000...60_000).contains(plan.fragments.count), "\(plan.fragments.count)")
    }
}
