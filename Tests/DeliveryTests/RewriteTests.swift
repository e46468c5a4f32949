@testable import Delivery
import PropertyBased
import SSEWire
import Testing
import TestKit

@Suite("Rewrites: line endings, heartbeats, BOM, id lines")
struct RewriteTests {
    /// Whether every line end in `bytes` is `ending`.
    static func onlyLineEnding(_ ending: LineEndingRewrite, in bytes: [UInt8]) -> Bool {
        switch ending {
        case .lf:
            return !bytes.contains(0x0D)
        case .cr:
            return !bytes.contains(0x0A)
        case .crlf:
            for index in bytes.indices {
                if bytes[index] == 0x0D, index + 1 == bytes.count || bytes[index + 1] != 0x0A { return false }
                if bytes[index] == 0x0A, index == 0 || bytes[index - 1] != 0x0D { return false }
            }
            return true
        }
    }

    @Test("A line-ending rewrite keeps every event and leaves only the chosen line end")
    func lineEndings() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 0...2)) { seed, endingIndex in
            let ending = LineEndingRewrite.allCases[endingIndex]
            let body = Streams.images(Streams.options(seed: UInt64(seed)), seed: UInt64(seed))
            let plan = try Check.plan(body, "eol=\(ending.rawValue),chunking=random,seed=\(seed)")
            #expect(Self.onlyLineEnding(ending, in: plan.body))
            #expect(Check.seen(Check.parseDelivered(plan).events) == Check.seen(parsing: body))
            #expect(SSEParser.parse(plan.body).end == .clean)
            // Nothing but line ends changed.
            let strip = { (bytes: [UInt8]) in bytes.filter { $0 != 0x0A && $0 != 0x0D } }
            #expect(strip(plan.body) == strip(body))
        }
    }

    @Test("Rewriting line ends also rewrites comments, gaps and an unterminated tail")
    func lineEndingsEverywhere() throws {
        let body = Array(": hi\r\rdata: a\r\n\r\n: between\n\nevent: ping\r\n\r\ndata: tail\r".utf8)
        for ending in LineEndingRewrite.allCases {
            let plan = try Check.plan(body, "eol=\(ending.rawValue)")
            #expect(Self.onlyLineEnding(ending, in: plan.body), "\(ending)")
            #expect(Check.seen(parsing: plan.body) == Check.seen(parsing: body))
        }
        let lf = try Check.plan(body, "eol=lf")
        #expect(lf.body == Array(": hi\n\ndata: a\n\n: between\n\nevent: ping\n\ndata: tail\n".utf8))
    }

    @Test("Heartbeats add comment lines before every Nth event and change no event", arguments: [1, 2, 3])
    func heartbeats(every: Int) throws {
        for ending in ["\n", "\r\n", "\r"] {
            let body = Streams.images(Streams.Options(partials: 3, lineEnding: ending))
            let plan = try Check.plan(body, "heartbeat=\(every)")
            #expect(Check.seen(Check.parseDelivered(plan).events) == Check.seen(parsing: body))
            let comment = Array((": keep-alive" + ending).utf8)
            let found = plan.body.withUnsafeBufferPointer { ByteScan.occurrences(of: comment, in: $0, range: 0..<$0.count) }
            #expect(found.count == 4 / every)
            // The Nth event's block starts with the comment line.
            let events = SSEParser.parse(plan.body).events
            for (index, event) in events.enumerated() {
                let starts = plan.body[event.byteRange.lowerBound...].starts(with: comment)
                #expect(starts == ((index + 1) % every == 0), "event \(index)")
            }
        }
    }

    @Test("bom puts EF BB BF first, once, and changes no event")
    func byteOrderMark() throws {
        let body = Streams.images(Streams.Options())
        let plan = try Check.plan(body, "fault=bom")
        #expect(plan.body.starts(with: [0xEF, 0xBB, 0xBF, 0x65]))
        #expect(plan.body.count == body.count + 3)
        #expect(Check.seen(Check.parseDelivered(plan).events) == Check.seen(parsing: body))
        let already = try Check.plan(plan.body, "fault=bom")
        #expect(already.body == plan.body)
    }

    @Test("id-lines gives every delivered event its position as its id, over any id of its own")
    func idLines() throws {
        let body = Array("id: old\ndata: a\n\ndata: b\n\n".utf8) + Streams.images(Streams.Options(partials: 2))
        let plan = try Check.plan(body, "fault=id-lines,eol=crlf")
        let events = Check.parseDelivered(plan).events
        #expect(events.map(\.lastEventID) == (0..<5).map(String.init))
        #expect(events.map(\.data) == SSEParser.parse(body).events.map(\.data))
    }

    @Test("A JSON body is never rewritten")
    func jsonBodyUntouched() throws {
        let body = Array("{\"data\":[{\"b64_json\":\"QUJD\"}]}\r\n".utf8)
        let plan = try Check.plan(body, "eol=lf,heartbeat=1,fault=bom,fault=id-lines,fault=truncate-final-image,fault=drop-final", isEventStream: false)
        #expect(plan.body == body)
        #expect(plan.header("content-type") == "application/json")
    }

    @Test("Without rewrites the body is the input, not a copy")
    func noCopy() throws {
        let body = Streams.images(Streams.Options())
        let plan = try Check.plan(body, "chunking=adversarial,fault=close-after-event:1,fault=stall:1s@10")
        let same = body.withUnsafeBufferPointer { a in plan.body.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        #expect(same)
        #expect(plan.header("Content-Type") == "text/event-stream")
    }
}
