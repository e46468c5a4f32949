import Foundation
@testable import Delivery
import PropertyBased
import SSEWire
import Testing
import TestKit

@Suite("Faults: each has its visible effect")
struct FaultTests {
    static let images = Streams.images(Streams.Options(partials: 3, imageBytes: 600))
    static let responses = Streams.responses(partials: 2, imageBytes: 600)

    // MARK: Transport faults

    @Test("close-after-event:K delivers exactly K+1 events and ends clean", arguments: [0, 1, 2, 3])
    func closeAfterEvent(_ index: Int) throws {
        for chunking in ["whole", "adversarial", "bytes"] {
            let plan = try Check.plan(Self.images, "fault=close-after-event:\(index),chunking=\(chunking)")
            let delivered = Check.parseDelivered(plan)
            #expect(delivered.events.count == index + 1)
            #expect(delivered.end == .clean)
            #expect(plan.ending == .close)
            #expect(plan.deliveredByteCount == SSERecording(bytes: Self.images).bytes(of: SSEParser.parse(Self.images).events[index]).endIndex)
        }
    }

    @Test("close-after-event counts the delivered events, and past the last it closes at the end")
    func closeAfterEventCountsDelivered() throws {
        // Duplicating event 0 makes the delivered event 1 a copy of it.
        let plan = try Check.plan(Self.images, "fault=duplicate:0,fault=close-after-event:1,eol=crlf")
        let delivered = Check.parseDelivered(plan).events
        #expect(delivered.count == 2)
        #expect(delivered[0].data == delivered[1].data)
        let beyond = try Check.plan(Self.images, "fault=close-after-event:99")
        #expect(beyond.deliveredByteCount == Self.images.count)
        #expect(beyond.ending == .close)
    }

    @Test("close-after-bytes and reset-after-bytes cut the body mid-event")
    func byteCuts() throws {
        let events = SSEParser.parse(Self.images).events
        let middle = events[1].byteRange.lowerBound + 120
        for (fault, ending) in [("close-after-bytes", Ending.close), ("reset-after-bytes", Ending.reset)] {
            let plan = try Check.plan(Self.images, "fault=\(fault):\(middle),chunking=fixed:64")
            #expect(plan.ending == ending)
            #expect(plan.deliveredByteCount == middle)
            #expect(Check.fragmentProblem(plan.fragments, end: middle) == nil)
            let delivered = Check.parseDelivered(plan)
            #expect(delivered.events.count == 1)
            guard case .midEvent(let block) = delivered.end else {
                Issue.record("expected to end mid-event")
                continue
            }
            #expect(block.heldData)
            #expect(plan.body == Self.images) // the body is whole; only delivery stops
        }
        // The earliest cut wins; a reset wins a tie.
        #expect(try Check.plan(Self.images, "fault=close-after-bytes:30,fault=reset-after-bytes:20").ending == .reset)
        #expect(try Check.plan(Self.images, "fault=reset-after-bytes:30,fault=close-after-bytes:20").deliveredByteCount == 20)
        #expect(try Check.plan(Self.images, "fault=close-after-bytes:30,fault=reset-after-bytes:30").ending == .reset)
        #expect(try Check.plan(Self.images, "fault=close-after-bytes:0").fragments.isEmpty)
    }

    @Test("A stall waits before the byte at its offset, splitting only that fragment")
    func stalls() throws {
        let plan = try Check.plan(Self.images, "chunking=fixed:100,fault=stall:1.5s@250,fault=stall:2s@300,fault=stall:0.5s@0")
        let fragments = Array(plan.fragments)
        #expect(fragments.map(\.range.lowerBound).prefix(6) == [0, 100, 200, 250, 300, 400])
        #expect(fragments[0].delay == .milliseconds(500))
        #expect(fragments[3] == Fragment(range: 250..<300, delay: .milliseconds(1500)))
        #expect(fragments[4] == Fragment(range: 300..<400, delay: .seconds(2)))
        #expect(fragments.filter { $0.delay != .zero }.count == 3)
        #expect(Check.fragmentProblem(plan.fragments, end: Self.images.count) == nil)
        #expect(plan.finalDelay == .zero)
        // At or past the delivered end: a wait before the ending.
        let late = try Check.plan(Self.images, "fault=stall:3s@100,fault=close-after-bytes:100")
        #expect(late.finalDelay == .seconds(3))
        #expect(late.fragments.map(\.range) == [0..<100])
        // Stalls are not scaled by time-scale.
        let unscaled = try Check.plan(Self.images, "time-scale=0,fault=stall:1s@10")
        #expect(unscaled.fragments.totalDelay == .seconds(1))
    }

    @Test("A silence waits before its event; with comments, a keep-alive block every C seconds of it, the rest before the event")
    func silences() throws {
        let quiet = try Check.plan(Self.images, "fault=silence:2s@1")
        let events = SSEParser.parse(quiet.body).events
        #expect(events.count == SSEParser.parse(Self.images).events.count, "nothing is added to what a client dispatches")
        let secondStart = StreamRewrite.eventEnds(of: quiet.body)[0]
        #expect(quiet.fragments.first { $0.delay != .zero } == Fragment(range: secondStart..<quiet.body.count, delay: .seconds(2)))

        let commented = try Check.plan(Self.images, "fault=silence:1s@0:comments=0.3s")
        let text = String(decoding: commented.body, as: UTF8.self)
        #expect(text.hasPrefix(": keep-alive\n\n: keep-alive\n\n: keep-alive\n\nevent: "), "three comment blocks, then the first event")
        #expect(Array(commented.fragments).map(\.delay) == [.milliseconds(300), .milliseconds(300), .milliseconds(300), .milliseconds(100)])
        #expect(commented.fragments.totalDelay == .seconds(1))
        #expect(SSEParser.parse(commented.body).events.map(\.data) == SSEParser.parse(Self.images).events.map(\.data))
        // The last event counts from the end; the comments take its line ends (CRLF here).
        let last = try Check.plan(Self.images, "eol=crlf,fault=silence:1s@-1:comments=1s")
        #expect(String(decoding: last.body, as: UTF8.self).contains("\r\n\r\n: keep-alive\r\n\r\nevent: image_generation.completed"))
    }

    @Test("A stall lands on any chunking at its offset")
    func stallAnyChunking() async {
        await propertyCheck(count: 80, input: Gen.int(in: 0...5000), Gen.int(in: 0...(ChunkingTests.chunkings.count - 1))) { offset, chunkingIndex in
            let chunking = ChunkingTests.chunkings[chunkingIndex]
            let plan = try Check.plan(Self.images, "chunking=\(chunking),fault=stall:1s@\(offset)", recorded: ChunkingTests.recording(of: Self.images.count, seed: 1))
            #expect(Check.fragmentProblem(plan.fragments, end: Self.images.count) == nil)
            if offset < Self.images.count {
                #expect(plan.fragments.first { $0.range.lowerBound == offset }.map { $0.delay >= .seconds(1) } == true)
            } else {
                #expect(plan.finalDelay == .seconds(1))
            }
        }
    }

    // MARK: HTTP status

    @Test("status:S answers with an OpenAI-shaped JSON error body", arguments: [
        (429, "requests", "rate_limit_exceeded"), (500, "server_error", "server_error"),
        (503, "server_error", "service_unavailable"), (401, "invalid_request_error", "invalid_api_key"),
        (418, "invalid_request_error", "http_418"), (599, "server_error", "server_error"),
    ])
    func httpStatus(_ row: (status: Int, type: String, code: String)) throws {
        let plan = try Check.plan(Self.images, "fault=status:\(row.status),chunking=recorded", recorded: [(10, .seconds(1))])
        let text = String(decoding: plan.body, as: UTF8.self)
        #expect(plan.status == row.status)
        #expect(plan.header("Content-Type") == "application/json")
        #expect(plan.header("Retry-After") == nil)
        #expect(text.hasPrefix(#"{"error":{"message":""#))
        #expect(text.hasSuffix(#"","type":"\#(row.type)","param":null,"code":"\#(row.code)"}}"#))
        #expect(plan.fragments.map(\.range) == [0..<plan.body.count]) // recording belongs to the other body
        #expect(plan.fragments.totalDelay == .zero)
    }

    @Test("status with retry-after sets the header")
    func retryAfter() throws {
        let plan = try Check.plan(Self.images, "fault=status:503:retry-after=2,fault=error-event:nested@0", isEventStream: true)
        #expect(plan.status == 503)
        #expect(plan.header("retry-after") == "2")
        #expect(!String(decoding: plan.body, as: UTF8.self).contains("Tapedeck injected a server error"))
    }

    // MARK: Event faults

    @Test("error-event on the Responses API: error, then response.failed, then the end", arguments: ErrorShape.allCases)
    func errorEventResponses(_ shape: ErrorShape) throws {
        let plan = try Check.plan(Self.responses, "fault=error-event:\(shape.rawValue)@2,chunking=adversarial", surface: "responses")
        let delivered = Check.parseDelivered(plan)
        let types = delivered.events.map(\.type)
        #expect(types == ["response.created", "response.in_progress", "response.image_generation_call.partial_image", "error", "response.failed"])
        #expect(delivered.end == .clean)
        let error = delivered.events[3].data
        let failed = delivered.events[4].data
        switch shape {
        case .nested:
            #expect(error == #"{"type":"error","error":{"type":"server_error","code":"server_error","message":"Tapedeck injected a server error","param":null},"sequence_number":3}"#)
        case .flat:
            #expect(error == #"{"type":"error","code":"server_error","message":"Tapedeck injected a server error","param":null,"sequence_number":3}"#)
        }
        #expect(failed.hasPrefix(#"{"type":"response.failed","response":{"id":"resp_68c1a2b3","object":"response","status":"failed","error":{"code":"server_error","message":"Tapedeck injected a server error"}"#))
        #expect(failed.hasSuffix(#""sequence_number":4}"#))
    }

    @Test("error-event on an image surface: one error event, no sequence number, then the end")
    func errorEventImages() throws {
        let plan = try Check.plan(Self.images, "fault=error-event:nested@0,eol=cr")
        let events = Check.parseDelivered(plan).events
        #expect(events.map(\.type) == ["image_generation.partial_image", "error"])
        #expect(!events[1].data.contains("sequence_number"))
        #expect(events[1].data.contains(#""error":{"type":"server_error""#))
        #expect(plan.body.last == 0x0D)
        // Past the last event: after it. Without event lines in the stream: none for the error either.
        var options = Streams.Options(partials: 1)
        options.eventLines = false
        let bare = try Check.plan(Streams.images(options), "fault=error-event:flat@9")
        #expect(Check.parseDelivered(bare).events.map(\.type) == ["message", "message", "message"])
        #expect(Check.parseDelivered(bare).events.last?.data.hasPrefix(#"{"type":"error","code""#) == true)
    }

    @Test("A responses stream without ids or sequence numbers gets defaults")
    func errorEventDefaults() throws {
        let body = Array("event: response.created\ndata: {\"type\":\"response.created\"}\n\nevent: x\ndata: {}\n\n".utf8)
        let events = Check.parseDelivered(try Check.plan(body, "fault=error-event:flat@1", surface: "responses")).events
        #expect(events.map(\.type) == ["response.created", "x", "error", "response.failed"])
        #expect(events[2].data.hasSuffix(#""sequence_number":2}"#))
        #expect(events[3].data.contains(#""id":"resp_tapedeck""#))
        #expect(events[3].data.hasSuffix(#""sequence_number":3}"#))
    }

    @Test("drop-final leaves out the last event")
    func dropFinal() throws {
        let events = Check.parseDelivered(try Check.plan(Self.images, "fault=drop-final")).events
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.type == "image_generation.partial_image" })
    }

    @Test("truncate-final-image halves the final base64, keeping it a multiple of 4 and the JSON whole")
    func truncateFinalImage() throws {
        for (body, surface) in [(Self.images, "images.generate"), (Self.responses, "responses")] {
            let original = SSEParser.parse(body).events
            let plan = try Check.plan(body, "fault=truncate-final-image,chunking=random", surface: surface)
            let delivered = Check.parseDelivered(plan).events
            #expect(delivered.count == original.count)
            for (before, after) in zip(original, delivered) {
                #expect(before.type == after.type)
                #expect(after.data.hasPrefix("{") && after.data.hasSuffix("}"))
                if before.type.hasSuffix("partial_image") {
                    #expect(before.data == after.data)
                    continue
                }
                for key in ["b64_json", "result"] {
                    guard let full = Streams.stringValue(key, in: before.data) else { continue }
                    let cut = try #require(Streams.stringValue(key, in: after.data))
                    #expect(cut.count % 4 == 0)
                    #expect(cut.count <= full.count / 2 && cut.count > full.count / 2 - 4)
                    #expect(full.hasPrefix(cut))
                }
            }
            #expect(plan.body.count < body.count)
        }
        // An escaped slash is never split.
        let escaped = Array(#"data: {"type":"image_generation.completed","b64_json":"AB\/DEFGH"}"#.utf8) + [0x0A, 0x0A]
        let cut = Check.parseDelivered(try Check.plan(escaped, "fault=truncate-final-image")).events[0].data
        #expect(cut == #"{"type":"image_generation.completed","b64_json":"AB\/D"}"#)
    }

    @Test("duplicate:K sends event K twice in a row")
    func duplicate() throws {
        let original = Check.seen(parsing: Self.images)
        let events = Check.seen(Check.parseDelivered(try Check.plan(Self.images, "fault=duplicate:1")).events)
        #expect(events == Array(original[0...1]) + [original[1]] + Array(original[2...]))
    }

    @Test("swap:I:J exchanges two events")
    func swap() throws {
        let original = Check.seen(parsing: Self.images)
        let events = Check.seen(Check.parseDelivered(try Check.plan(Self.images, "fault=swap:0:3,eol=crlf")).events)
        #expect(events == [original[3], original[1], original[2], original[0]])
        // A missing event: nothing happens.
        #expect(Check.seen(Check.parseDelivered(try Check.plan(Self.images, "fault=swap:0:9")).events) == original)
    }

    @Test("fewer-partials:N keeps only the first N partial images", arguments: [0, 1, 2, 5])
    func fewerPartials(_ keep: Int) throws {
        for (body, surface) in [(Self.images, "images.generate"), (Self.responses, "responses")] {
            let original = SSEParser.parse(body).events
            let events = Check.parseDelivered(try Check.plan(body, "fault=fewer-partials:\(keep)", surface: surface)).events
            let partials = events.filter { $0.type.hasSuffix("partial_image") }
            let originalPartials = original.filter { $0.type.hasSuffix("partial_image") }
            #expect(partials.map(\.data) == Array(originalPartials.prefix(keep)).map(\.data))
            // The rest is unchanged but for its sequence numbers, which stay contiguous, as a
            // server that sent fewer partial images numbers them.
            #expect(events.filter { !$0.type.hasSuffix("partial_image") }.map { Self.unnumbered($0.data) } == original.filter { !$0.type.hasSuffix("partial_image") }.map { Self.unnumbered($0.data) })
            if surface == "responses" {
                #expect(events.map { Self.sequenceNumber($0.data) } == Array(0..<events.count).map(Optional.some))
            }
        }
    }

    /// The data without its sequence number.
    static func unnumbered(_ data: String) -> String {
        data.replacingOccurrences(of: #","sequence_number":\d+"#, with: "", options: .regularExpression)
    }

    static func sequenceNumber(_ data: String) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])?["sequence_number"] as? Int
    }

    @Test("ping@K adds an event: ping block with no data, which dispatches nothing")
    func ping() throws {
        let plan = try Check.plan(Self.images, "fault=ping@1")
        let events = SSEParser.parse(Self.images).events
        let pingAt = SSERecording(bytes: Self.images).bytes(of: events[1]).endIndex
        #expect(plan.body[pingAt...].starts(with: Array("event: ping\n\nevent: image_generation".utf8)))
        #expect(Check.seen(Check.parseDelivered(plan).events) == Check.seen(parsing: Self.images))
        #expect(plan.body.count == Self.images.count + 13)
    }

    @Test("Event faults apply in a fixed order with indices of the input stream")
    func combined() throws {
        let original = Check.seen(parsing: Self.images)
        // fewer-partials runs first, so duplicate:2 names a removed event and does nothing;
        // ping@2 goes where event 2 would have been.
        let plan = try Check.plan(Self.images, "fault=duplicate:2,fault=ping@2,fault=fewer-partials:1,heartbeat=1,fault=id-lines")
        let events = Check.parseDelivered(plan).events
        #expect(events.map(\.data) == [original[0].data, original[3].data])
        #expect(events.map(\.lastEventID) == ["0", "1"])
        let text = String(decoding: plan.body, as: UTF8.self)
        #expect(text.contains("\n\nevent: ping\n\n: keep-alive\nevent: image_generation.completed"))
    }

    @Test("Every scenario keeps fragments consecutive and parsable")
    func anyScenario() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let scenario = ScenarioTextTests.randomScenario(seed: UInt64(seed))
            for (body, surface) in [(Self.images, "images.generate"), (Self.responses, "responses")] {
                let plan = DeliveryPlanner.plan(body: body, isEventStream: true, surface: surface, recordedChunks: ChunkingTests.recording(of: body.count, seed: 2), scenario: scenario)
                #expect(Check.fragmentProblem(plan.fragments, end: plan.deliveredByteCount) == nil, "\(scenario)")
                #expect(plan.deliveredByteCount <= plan.body.count)
                #expect((plan.ending == .complete) == (plan.deliveredByteCount == plan.body.count && !scenario.faults.contains { if case .closeAfterEvent = $0 { true } else if case .closeAfterBytes = $0 { true } else if case .resetAfterBytes = $0 { true } else { false } }))
                if plan.status == 200 {
                    #expect(SSEParser.parse(plan.body).events.allSatisfy { !$0.data.isEmpty }, "\(scenario)")
                }
            }
        }
    }
}
