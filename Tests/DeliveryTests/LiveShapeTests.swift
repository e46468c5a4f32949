@testable import Delivery
import Foundation
import ImageStreamSpec
import SSEWire
import Testing
import TestKit

/// `shape=live`: a documented stream made what api.openai.com really sends (the openai-dotnet streams in Specs/README.md).
@Suite("The live shape: what the real API sends, from a documented stream")
struct LiveShapeTests {
    /// What Specs/surfaces/responses.yaml says (the spec layer reads it; this mirrors it).
    static let shape = LiveShapeSpec(
        omittedEventTypes: ["response.image_generation_call.completed"],
        itemType: "image_generation_call",
        finishedItemStatus: "generating",
        dropsDoneSentinel: true,
        partialWhenNone: .init(eventType: "response.image_generation_call.partial_image", imageField: "partial_image_b64", finishedEventType: "response.output_item.done", resultField: "result")
    )

    /// A documented Responses stream: call events, call.completed, status completed, [DONE].
    static func documented(partials: Int, done: Bool = true) -> [UInt8] {
        var random = SeededRandom(seed: 3)
        var text = ""
        var sequence = 0
        func event(_ type: String, _ body: String) {
            text += "event: \(type)\ndata: {\"type\":\"\(type)\",\"sequence_number\":\(sequence),\(body)}\n\n"
            sequence += 1
        }
        let created = #""response":{"id":"resp_1","object":"response","status":"in_progress","output":[]}"#
        event("response.created", created)
        event("response.in_progress", created)
        event("response.output_item.added", #""output_index":0,"item":{"id":"ig_1","type":"image_generation_call","status":"in_progress"}"#)
        event("response.image_generation_call.in_progress", #""output_index":0,"item_id":"ig_1""#)
        event("response.image_generation_call.generating", #""output_index":0,"item_id":"ig_1""#)
        for index in 0..<partials {
            event("response.image_generation_call.partial_image", #""output_index":0,"item_id":"ig_1","partial_image_index":\#(index),"partial_image_b64":"\#(Streams.base64(random.bytes(200)))","size":"1024x1024""#)
        }
        event("response.image_generation_call.completed", #""output_index":0,"item_id":"ig_1""#)
        let image = Streams.base64(random.bytes(300))
        let item = #"{"id":"ig_1","type":"image_generation_call","status":"completed","background":"opaque","output_format":"png","quality":"low","result":"\#(image)","revised_prompt":"Ein Otter — 海獺","size":"1024x1024"}"#
        event("response.output_item.done", #""output_index":0,"item":\#(item)"#)
        event("response.completed", #""response":{"id":"resp_1","object":"response","status":"completed","output":[\#(item)]}"#)
        if done { text += "data: [DONE]\n\n" }
        return Array(text.utf8)
    }

    static func live(_ body: [UInt8], _ scenario: String = "shape=live") throws -> (plan: DeliveryPlan, events: [[String: Any]], types: [String]) {
        let plan = DeliveryPlanner.plan(body: body, isEventStream: true, surface: "responses", recordedChunks: nil, scenario: try Scenario(parsing: scenario), liveShape: shape)
        let parsed = Check.parseDelivered(plan).events
        let json = parsed.compactMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] }
        #expect(json.count == parsed.count, "every delivered event is one JSON object")
        return (plan, json, parsed.map(\.type))
    }

    @Test("No image_generation_call.completed, no [DONE], the item left at generating in output_item.done and response.completed")
    func documentedBecomesLive() throws {
        let (_, events, types) = try Self.live(Self.documented(partials: 2))
        #expect(!types.contains("response.image_generation_call.completed"))
        #expect(types.last == "response.completed")
        let done = try #require(events.first { $0["type"] as? String == "response.output_item.done" })
        #expect((done["item"] as? [String: Any])?["status"] as? String == "generating")
        let completed = try #require(events.last)
        let response = try #require(completed["response"] as? [String: Any])
        #expect(response["status"] as? String == "completed", "the response itself completes")
        #expect(((response["output"] as? [[String: Any]])?.first)?["status"] as? String == "generating")
        #expect(events.map { $0["sequence_number"] as? Int } == Array(0..<events.count).map(Optional.some), "sequence numbers stay contiguous")
        #expect(types.filter { $0.hasSuffix("partial_image") }.count == 2, "a stream with partial images gets no extra one")
    }

    @Test("A call without partial images gets one, equal to the final image, before output_item.done")
    func partialWhenNone() throws {
        let (_, events, types) = try Self.live(Self.documented(partials: 0))
        let partialAt = try #require(types.firstIndex(of: "response.image_generation_call.partial_image"))
        #expect(types[partialAt + 1] == "response.output_item.done")
        let partial = events[partialAt]
        let item = try #require(events[partialAt + 1]["item"] as? [String: Any])
        #expect(partial["partial_image_b64"] as? String == item["result"] as? String)
        #expect(partial["partial_image_index"] as? Int == 0)
        #expect(partial["item_id"] as? String == "ig_1")
        #expect(partial["output_index"] as? Int == 0)
        #expect(partial["size"] as? String == "1024x1024" && partial["output_format"] as? String == "png")
        #expect(events.map { $0["sequence_number"] as? Int } == Array(0..<events.count).map(Optional.some))
    }

    @Test("Without a live shape (the Images API), shape=live leaves the body as it is")
    func noShape() throws {
        let body = Streams.images(Streams.Options(partials: 2))
        let plan = DeliveryPlanner.plan(body: body, isEventStream: true, surface: "images.generate", recordedChunks: nil, scenario: try Scenario(parsing: "shape=live"), liveShape: nil)
        #expect(plan.body == body)
    }

    @Test("Faults apply to the live stream: error-event@-2 lands just before the final event")
    func faultsAfterTheShape() throws {
        let (_, _, types) = try Self.live(Self.documented(partials: 1), "shape=live,fault=error-event:nested@-2")
        #expect(Array(types.suffix(3)) == ["response.output_item.done", "error", "response.failed"])
        let (_, events, failedTypes) = try Self.live(Self.documented(partials: 1), "shape=live,fault=response-failed@-2")
        #expect(Array(failedTypes.suffix(2)) == ["response.output_item.done", "response.failed"], "a refusal: response.failed with no error event")
        let error = try #require((events.last?["response"] as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "image_content_policy_violation")
        #expect(events.map { $0["sequence_number"] as? Int } == Array(0..<events.count).map(Optional.some))
    }

    @Test("Every chunking delivers the same live events")
    func chunkInvariant() throws {
        let reference = try Self.live(Self.documented(partials: 0)).types
        for chunking in ["bytes", "adversarial", "random", "fixed:7"] {
            #expect(try Self.live(Self.documented(partials: 0), "shape=live,chunking=\(chunking),seed=5").types == reference)
        }
    }
}

/// `images=full-size`: every image replaced by the source's real-size image.
@Suite("Full-size images: real sizes made at delivery time")
struct FullSizeImageTests {
    /// A source that writes the ordinal and the payload's length into a long base64 text, so
    /// a test sees which payload got which image.
    struct Source: FullSizeImageSource {
        func fullSize(of payload: UnsafeBufferPointer<UInt8>, ordinal: Int) -> ArraySlice<UInt8>? {
            ArraySlice(Array(String(repeating: "QUFB", count: 2_000 + ordinal).utf8))
        }
    }

    @Test("Equal payloads get the same image, different ones different images; the JSON stays whole")
    func ordinals() throws {
        let body = LiveShapeTests.documented(partials: 2)
        let plan = DeliveryPlanner.plan(body: body, isEventStream: true, surface: "responses", recordedChunks: nil, scenario: try Scenario(parsing: "images=full-size"), images: Source())
        let events = Check.parseDelivered(plan).events.compactMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] }
        let partials = events.compactMap { $0["partial_image_b64"] as? String }
        let done = try #require(events.first { $0["type"] as? String == "response.output_item.done" }?["item"] as? [String: Any])
        let listed = try #require(((events.last?["response"] as? [String: Any])?["output"] as? [[String: Any]])?.first)
        #expect(partials.map(\.count) == [8_000, 8_004])
        #expect((done["result"] as? String)?.count == 8_008)
        #expect(listed["result"] as? String == done["result"] as? String, "the final image, twice, is one image")
    }

    @Test("A JSON body's images are replaced too, and a cut image after it is cut in half")
    func bodiesAndTruncation() throws {
        let body = Array(#"{"created":1,"data":[{"b64_json":"AAAA"},{"b64_json":"BBBB"}]}"#.utf8)
        let plan = DeliveryPlanner.plan(body: body, isEventStream: false, surface: "images.generate", recordedChunks: nil, scenario: try Scenario(parsing: "images=full-size"), images: Source())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.body)) as? [String: Any])
        #expect((json["data"] as? [[String: Any]])?.compactMap { ($0["b64_json"] as? String)?.count } == [8_000, 8_004])

        let stream = Streams.images(Streams.Options(partials: 1))
        let cut = DeliveryPlanner.plan(body: stream, isEventStream: true, surface: "images.generate", recordedChunks: nil, scenario: try Scenario(parsing: "images=full-size,fault=truncate-final-image"), images: Source())
        let events = Check.parseDelivered(cut).events.compactMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] }
        #expect(events.compactMap { ($0["b64_json"] as? String)?.count } == [8_000, 4_000])
    }

    @Test("Without a source, images stay as they are")
    func noSource() throws {
        let body = Streams.images(Streams.Options(partials: 1))
        #expect(DeliveryPlanner.plan(body: body, isEventStream: true, surface: "images.generate", recordedChunks: nil, scenario: try Scenario(parsing: "images=full-size")).body == body)
    }
}
