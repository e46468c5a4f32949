import Foundation
import SSEWire
import Testing
@testable import Cassette

@Suite("The cassette file")
struct FileFormatTests {
    /// Every object's keys, at every depth, in sorted order.
    static func keysAreSorted(_ value: JSON) -> Bool {
        switch value {
        case .object(let members):
            let keys = members.map(\.key)
            return keys == keys.sorted() && members.allSatisfy { keysAreSorted($0.value) }
        case .array(let items):
            return items.allSatisfy(keysAreSorted)
        default:
            return true
        }
    }

    @Test("is pretty-printed with sorted keys, one chunk, header and event a line")
    func layout() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let cassette = try Fixture.cassette(name: "layout", body: Fixture.imageStream(partials: ["YQ=="]), maxChunk: 50)
        try cassette.save(to: "\(folder)/layout.cassette.json")
        let text = try Fixture.text("\(folder)/layout.cassette.json")

        #expect(text.hasPrefix("{\n  \"dialect\": \"openai\",\n  \"format\": \"tapedeck-cassette/1\",\n  \"name\": \"layout\",\n"))
        #expect(text.hasSuffix("}\n"))
        #expect(Self.keysAreSorted(try JSON.parse(Array(text.utf8))))
        #expect(text.contains("\n      {\"name\": \"content-type\", \"value\": \"text/event-stream\"},\n"))
        let first = cassette.response.recording.chunkEnds[0]
        let firstTime = cassette.response.chunkTimes[0].wholeMicroseconds
        #expect(text.contains("\"chunks\": [\n      [\(first), \(firstTime)],\n"))
        #expect(text.contains("\"method\": \"POST\""))
        #expect(text.contains("\"json\": {\n        \"model\": \"gpt-image-1\",\n"))
        #expect(text.contains("\"provenance\": {\n    \"at\": \"2025-05-01T12:00:00Z\",\n    \"host\": \"api.openai.com\",\n    \"kind\": \"recorded\",\n"))
    }

    @Test("lists the events for people: index, type and byte range")
    func derivedEvents() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let body = Fixture.imageStream(partials: ["YQ==", "Yg=="])
        let cassette = try Fixture.cassette(name: "events", body: body)
        try cassette.save(to: "\(folder)/events.cassette.json")
        let file = try JSON.parse(Array(Fixture.text("\(folder)/events.cassette.json").utf8))
        let events = try #require(file["response"]?["events"]?.array)

        let parsed = SSEParser.parse(body).events
        #expect(events.count == 3)
        #expect(events.map { $0["type"]?.string } == ["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"])
        #expect(events.map { $0["index"]?.integer } == [0, 1, 2])
        for (event, original) in zip(events, parsed) {
            let range = event["bytes"]?.array?.compactMap { $0.integer }
            #expect(range == [original.byteRange.lowerBound, cassette.response.recording.bytes(of: original).endIndex])
        }
    }

    @Test("the event type falls back to the event field, then to `message`")
    func eventTypeFallback() throws {
        let body = Array("event: ping\ndata: {}\n\ndata: not json\n\ndata: {\"a\":{\"type\":\"nested\"},\"type\":\"outer\"}\n\n".utf8)
        let cassette = try Fixture.cassette(body: body)
        #expect(cassette.response.eventSummaries().events.map(\.type) == ["ping", "message", "outer"])
    }

    @Test("derived events are ignored on load, so editing them changes nothing")
    func derivedIgnored() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let path = "\(folder)/edited.cassette.json"
        let cassette = try Fixture.cassette(name: "edited", body: Fixture.imageStream(partials: ["YQ=="]))
        try cassette.save(to: path)
        let edited = try Fixture.text(path).replacingOccurrences(of: "\"type\": \"image_generation.completed\"", with: "\"type\": \"made up\"")
        try Fixture.write(edited, to: path)
        #expect(try Cassette.load(from: path) == cassette)
    }

    @Test("a non-stream response has no events list")
    func noEventsForJSON() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let cassette = try Fixture.cassette(
            name: "error",
            status: 400,
            headers: [Header("content-type", "application/json")],
            body: Array(#"{"error":{"message":"bad size","type":"invalid_request_error"}}"#.utf8)
        )
        try cassette.save(to: "\(folder)/error.cassette.json")
        let file = try JSON.parse(Array(Fixture.text("\(folder)/error.cassette.json").utf8))
        #expect(file["response"]?["events"] == nil)
        #expect(try Cassette.load(from: "\(folder)/error.cassette.json") == cassette)
    }

    @Test("loadAll reads every cassette in the folder, sorted by name, and nothing else")
    func loadAll() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        for name in ["b", "c", "a"] {
            try Fixture.cassette(name: name, body: Fixture.imageStream(partials: [])).save(to: "\(folder)/\(name).cassette.json")
        }
        try Fixture.cassette(name: "nested", body: []).save(to: "\(folder)/sub/nested.cassette.json")
        try Fixture.write("not a cassette", to: "\(folder)/notes.json")
        try Fixture.write("{", to: "\(folder)/.b.cassette.json.tmp-1-x")
        #expect(try Cassette.loadAll(in: folder).map(\.name) == ["a", "b", "c"])
    }

    @Test("loadAll fails clearly on a missing folder")
    func loadAllMissingFolder() throws {
        let error = #expect(throws: CassetteError.self) { try Cassette.loadAll(in: "/nonexistent/cassettes") }
        #expect(error?.description.hasPrefix("cannot read /nonexistent/cassettes: ") == true)
    }
}

@Suite("Request fields and stream detection")
struct RequestFieldsTests {
    struct FieldsCase: CustomTestStringConvertible, Sendable {
        var testDescription: String
        var body: RequestBody
        var expected: String?
    }

    static let fieldsCases = [
        FieldsCase(testDescription: "no body has no fields", body: .none, expected: nil),
        FieldsCase(testDescription: "a JSON body is its text as sent", body: .json(#"{"n": 2, "model":"x"}"#), expected: #"{"n": 2, "model":"x"}"#),
        FieldsCase(
            testDescription: "a form is an object of its text fields, the last of a repeated name winning",
            body: .form(fields: [(name: "prompt", value: "a \"cat\""), (name: "n", value: "1"), (name: "n", value: "2")], files: [
                FilePart(name: "image", filename: "a.png", contentType: "image/png", size: 1, sha256: String(repeating: "0", count: 64)),
            ]),
            expected: #"{"n":"2","prompt":"a \"cat\""}"#
        ),
    ]

    @Test("requestFieldsJSON:", arguments: fieldsCases)
    func requestFields(_ testCase: FieldsCase) throws {
        var cassette = try Fixture.cassette(body: [])
        cassette.request.body = testCase.body
        #expect(cassette.requestFieldsJSON == testCase.expected)
    }

    struct StreamCase: CustomTestStringConvertible, Sendable {
        var testDescription: String
        var headers: [Header]
        var body: String
        var expected: Bool
    }

    static let streamCases = [
        StreamCase(testDescription: "text/event-stream with parameters is a stream", headers: [Header("Content-Type", "Text/Event-Stream; charset=utf-8")], body: "", expected: true),
        StreamCase(testDescription: "application/json is not, whatever the body", headers: [Header("content-type", "application/json")], body: "data: x\n\n", expected: false),
        StreamCase(testDescription: "no header and a body of events is a stream", headers: [], body: "data: x\n\n", expected: true),
        StreamCase(testDescription: "no header and a JSON body is not", headers: [], body: #"{"data":[]}"#, expected: false),
    ]

    @Test("isEventStream:", arguments: streamCases)
    func eventStream(_ testCase: StreamCase) throws {
        let cassette = try Fixture.cassette(headers: testCase.headers, body: Array(testCase.body.utf8))
        #expect(cassette.isEventStream == testCase.expected)
    }
}
