@testable import Delivery
import PropertyBased
import SSEWire
import Testing
import TestKit

@Suite("Chunking: fragments cover the body and never change what is parsed")
struct ChunkingTests {
    static let chunkings = ["whole", "bytes", "fixed:1", "fixed:7", "fixed:4096", "random", "adversarial", "recorded"]

    /// A recording of `count` bytes in chunks of 1…97 bytes, 0…40 ms apart.
    static func recording(of count: Int, seed: UInt64) -> [(length: Int, at: Duration)] {
        var random = SeededRandom(seed: seed)
        var chunks: [(length: Int, at: Duration)] = []
        var covered = 0
        var time = Duration.zero
        while covered < count {
            let length = min(count - covered, Int.random(in: 1...97, using: &random))
            time += .milliseconds(Int.random(in: 0...40, using: &random))
            chunks.append((length, time))
            covered += length
        }
        return chunks
    }

    @Test("Fragments are non-empty, consecutive and concatenate to the body", arguments: chunkings)
    func fragmentsCoverBody(_ chunking: String) throws {
        for seed in UInt64(0)..<8 {
            let body = Streams.images(Streams.options(seed: seed), seed: seed)
            let plan = try Check.plan(body, "chunking=\(chunking),seed=\(seed)", recorded: Self.recording(of: body.count, seed: seed))
            #expect(Check.fragmentProblem(plan.fragments, end: body.count) == nil)
            #expect(Check.concatenation(plan) == body)
            #expect(plan.body == body)
            #expect(plan.ending == .complete)
            #expect(plan.status == 200)
        }
    }

    @Test("Each chunking cuts where it says")
    func fragmentSizes() throws {
        let body = Streams.images(Streams.Options(partials: 1, imageBytes: 900))
        #expect(try Check.plan(body, "default").fragments.map(\.range) == [0..<body.count])
        #expect(try Check.plan(body, "chunking=bytes").fragments.count == body.count)
        let fixed = try Check.plan(body, "chunking=fixed:100").fragments
        #expect(fixed.count == (body.count + 99) / 100)
        #expect(fixed.dropLast().allSatisfy { $0.range.count == 100 })
        // No recording: recorded falls back to whole.
        #expect(try Check.plan(body, "chunking=recorded").fragments.map(\.range) == [0..<body.count])
        // An empty body has no fragments at all.
        for chunking in Self.chunkings {
            #expect(try Check.plan([], "chunking=\(chunking)").fragments.isEmpty)
        }
    }

    @Test("Random sizes stay within 1…4096, lean small, and follow the seed")
    func randomSizes() throws {
        let body = [UInt8](repeating: 0x41, count: 1 << 20)
        let plan = try Check.plan(body, "chunking=random,seed=42", isEventStream: false)
        let sizes = plan.fragments.map(\.range.count)
        #expect(sizes.allSatisfy { (1...4096).contains($0) })
        let small = sizes.dropLast().filter { $0 < 64 }.count
        #expect(Double(small) > 0.35 * Double(sizes.count), "\(small) of \(sizes.count) under 64 bytes")
        #expect(sizes.contains { $0 > 2048 })
        #expect(try Check.plan(body, "chunking=random,seed=42", isEventStream: false).fragments == plan.fragments)
        #expect(try Check.plan(body, "chunking=random,seed=43", isEventStream: false).fragments != plan.fragments)
    }

    @Test("Recorded chunking keeps the boundaries and scales the gaps")
    func recordedTiming() throws {
        let body = Array("data: a\n\ndata: b\n\ndata: c\n\n".utf8)
        let recorded: [(length: Int, at: Duration)] = [(9, .milliseconds(100)), (0, .milliseconds(150)), (9, .milliseconds(300)), (9, .milliseconds(250))]
        let plan = try Check.plan(body, "chunking=recorded,time-scale=0.5", recorded: recorded)
        #expect(Array(plan.fragments) == [
            Fragment(range: 0..<9, delay: .milliseconds(50)),
            Fragment(range: 9..<18, delay: .milliseconds(100)), // the empty chunk's wait carries over
            Fragment(range: 18..<27, delay: .zero), // arrival went backwards: no wait
        ])
        let instant = try Check.plan(body, "chunking=recorded,time-scale=0", recorded: recorded)
        #expect(instant.fragments.allSatisfy { $0.delay == .zero })
        #expect(instant.fragments.map(\.range) == plan.fragments.map(\.range))
        // A recording shorter than the (rewritten) body: the rest is one last fragment.
        let longer = try Check.plan(body, "chunking=recorded,eol=crlf", recorded: recorded)
        #expect(longer.fragments.map(\.range) == [0..<9, 9..<18, 18..<27, 27..<longer.body.count])
    }

    @Test("The same inputs give the same plan")
    func deterministic() throws {
        let body = Streams.images(Streams.Options(partials: 3, imageBytes: 2000, comment: true))
        for text in ["chunking=adversarial,seed=5,eol=crlf,heartbeat=2,fault=id-lines", "chunking=random,seed=9,fault=stall:1s@100"] {
            let first = try Check.plan(body, text)
            let second = try Check.plan(body, text)
            #expect(first.body == second.body)
            #expect(first.fragments == second.fragments)
            #expect(first.ending == second.ending)
        }
    }

    @Test("Delivery never changes meaning: every chunking of random image streams parses as the whole stream")
    func deliveryKeepsMeaning() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...(Self.chunkings.count - 1))) { seed, chunkingIndex in
            let body = Streams.images(Streams.options(seed: UInt64(seed)), seed: UInt64(seed))
            let whole = SSEParser.parse(body)
            let text = "chunking=\(Self.chunkings[chunkingIndex]),seed=\(seed)"
            let plan = DeliveryPlanner.plan(
                body: body, isEventStream: true, surface: "images.generate",
                recordedChunks: Self.recording(of: body.count, seed: UInt64(seed)),
                scenario: try Scenario(parsing: text)
            )
            let delivered = Check.parseDelivered(plan)
            #expect(delivered.events == whole.events, "\(text)")
            #expect(delivered.end == whole.end)
            #expect(Check.fragmentProblem(plan.fragments, end: body.count) == nil, "\(text)")
        }
    }

    @Test("Fragments behave like an array")
    func fragmentsCollection() {
        let fragments: Fragments = [Fragment(range: 0..<3, delay: .seconds(1)), Fragment(range: 3..<4)]
        #expect(fragments.count == 2)
        #expect(fragments[1] == Fragment(range: 3..<4))
        #expect(Array(fragments) == [Fragment(range: 0..<3, delay: .seconds(1)), Fragment(range: 3..<4)])
        #expect(fragments.totalDelay == .seconds(1))
        // Runs and single fragments holding the same fragments are equal.
        let (uniform, _) = Fragments.build(end: 10, base: .uniform(4), stalls: [])
        #expect(uniform == Fragments([Fragment(range: 0..<4), Fragment(range: 4..<8), Fragment(range: 8..<10)]))
        #expect(uniform.reversed().map(\.range) == [8..<10, 4..<8, 0..<4])
        // Iterating and subscripting agree, stalls included.
        let (stalled, finalDelay) = Fragments.build(end: 1000, base: .uniform(64), stalls: [(100, .seconds(1)), (128, .seconds(2)), (999, .seconds(3)), (1000, .seconds(4))])
        #expect(Array(stalled) == stalled.indices.map { stalled[$0] })
        #expect(finalDelay == .seconds(4))
        #expect(stalled.totalDelay == .seconds(6))
        #expect(Check.fragmentProblem(stalled, end: 1000) == nil)
    }
}
