import Cassette
import Drift
import Foundation
import ImageCodecs
import SSEWire
import Testing

/// How a provider's answer can change under a cassette, and the grade each change gets.
@Suite("Drift: a cassette against a new recording of its request")
struct DriftComparisonTests {
    static let request = #"{"model":"gpt-image-1","prompt":"an otter","stream":true,"partial_images":2,"size":"1024x1024"}"#

    static func image(_ encoding: ImageEncoding, width: Int = 16, height: Int = 16) -> String {
        Data(try! ImageEncoder.encode(Picture(width: width, height: height), as: encoding)).base64EncodedString()
    }

    static let png = image(.png)

    static func partial(_ index: Int, image: String = png, extra: String = "") -> String {
        #"{"type":"image_generation.partial_image","partial_image_index":\#(index),"size":"1024x1024","b64_json":"\#(image)"\#(extra)}"#
    }

    static func completed(image: String = png, status: String = "completed", size: String = #""1024x1024""#) -> String {
        #"{"type":"image_generation.completed","size":\#(size),"status":"\#(status)","b64_json":"\#(image)"}"#
    }

    static let documented = [partial(0), partial(1), completed()]

    static func cassette(_ datas: [String], done: Bool = false, status: Int = 200, body: String? = nil, headers: [Header] = []) -> Cassette {
        let text = body ?? (datas.map { "data: \($0)\n\n" }.joined() + (done ? "data: [DONE]\n\n" : ""))
        let bytes = Array(text.utf8)
        let contentType = body == nil ? "text/event-stream" : "application/json"
        return Cassette(
            name: "otter", surface: "images.generate", dialect: "openai",
            provenance: .synthesized(tool: "tests", parameters: "{}"),
            request: RecordedRequest(method: "POST", path: "/v1/images/generations", headers: [], body: .json(request)),
            response: RecordedResponse(status: status, headers: [Header("Content-Type", contentType)] + headers,
                                       recording: SSERecording(bytes: bytes), chunkTimes: bytes.isEmpty ? [] : [.zero], ending: .complete))
    }

    struct Change: CustomTestStringConvertible, Sendable {
        let name: String
        let upstream: Cassette
        let expected: [String]
        var testDescription: String { name }
    }

    static let changes: [Change] = [
        Change(name: "the same answer has no differences", upstream: cassette(documented), expected: []),
        Change(name: "the final event gone is breaking", upstream: cassette([partial(0), partial(1)]),
               expected: ["breaking DRIFT-EVENT-GONE image_generation.completed"]),
        Change(name: "fewer previews is notable", upstream: cassette([partial(0), completed()]),
               expected: ["notable DRIFT-COUNT image_generation.partial_image"]),
        Change(name: "an error instead of the stream: status and body kind only",
               upstream: cassette([], status: 500, body: #"{"error":{"message":"overloaded","type":"server_error"}}"#),
               expected: ["breaking DRIFT-STATUS response", "breaking DRIFT-BODY-KIND response"]),
        Change(name: "a field gone is breaking, one added cosmetic",
               upstream: cassette([0, 1].map { _ in #"{"type":"image_generation.partial_image","size":"1024x1024","b64_json":"\#(png)","revised_prompt":"an otter"}"# } + [completed()]),
               expected: ["breaking DRIFT-FIELD-GONE image_generation.partial_image partial_image_index", "cosmetic DRIFT-FIELD-ADDED image_generation.partial_image revised_prompt"]),
        Change(name: "a field of another JSON kind is breaking", upstream: cassette([partial(0), partial(1), completed(size: #"{"width":1024,"height":1024}"#)]),
               expected: ["breaking DRIFT-FIELD-KIND image_generation.completed size", "cosmetic DRIFT-FIELD-ADDED image_generation.completed size.height", "cosmetic DRIFT-FIELD-ADDED image_generation.completed size.width"]),
        Change(name: "another status value is notable", upstream: cassette([partial(0), partial(1), completed(status: "generating")]),
               expected: ["notable DRIFT-STATUS-VALUE image_generation.completed status"]),
        Change(name: "an echoed setting with another value is notable", upstream: cassette([partial(0), partial(1), completed(size: #""1536x1024""#)]),
               expected: ["notable DRIFT-ECHO image_generation.completed size"]),
        Change(name: "images in another format are breaking", upstream: cassette([partial(0), partial(1), completed(image: image(.jpeg))]),
               expected: ["breaking DRIFT-IMAGE-FORMAT image_generation.completed b64_json"]),
        Change(name: "images of another size are notable", upstream: cassette([partial(0), partial(1), completed(image: image(.png, width: 32))]),
               expected: ["notable DRIFT-IMAGE-SIZE image_generation.completed b64_json"]),
        Change(name: "a [DONE] line added is notable", upstream: cassette(documented, done: true),
               expected: ["notable DRIFT-DONE-ADDED response"]),
        Change(name: "another order is notable", upstream: cassette([completed(), partial(0), partial(1)]),
               expected: ["notable DRIFT-ORDER events"]),
        Change(name: "a header sent that was not is cosmetic; volatile ones are never compared",
               upstream: cassette(documented, headers: [Header("x-ratelimit-remaining", "99"), Header("Date", "today"), Header("x-request-id", "abc")]),
               expected: ["cosmetic DRIFT-HEADER header x-ratelimit-remaining"]),
    ]

    @Test("each change is found once, graded, most serious first", arguments: changes)
    func graded(change: Change) {
        let found = DriftComparison.differences(cassette: Self.cassette(Self.documented), upstream: change.upstream)
        #expect(found.map { "\($0.grade.rawValue) \($0.kind) \($0.place)" } == change.expected)
    }

    @Test("a [DONE] line gone is breaking: clients that wait for it hang")
    func doneGone() {
        let found = DriftComparison.differences(cassette: Self.cassette(Self.documented, done: true), upstream: Self.cassette(Self.documented))
        #expect(found.map(\.kind) == ["DRIFT-DONE-GONE"])
        #expect(found.first?.grade == .breaking)
    }

    @Test("the differences carry both sides: what the cassette had and what the upstream sends")
    func bothSides() {
        let found = DriftComparison.differences(cassette: Self.cassette(Self.documented), upstream: Self.cassette([Self.partial(0), Self.completed(image: Self.image(.webp))]))
        #expect(found.contains(DriftDifference(kind: "DRIFT-COUNT", grade: .notable, place: "image_generation.partial_image", cassette: "2×", upstream: "1×")))
        #expect(found.contains(DriftDifference(kind: "DRIFT-IMAGE-FORMAT", grade: .breaking, place: "image_generation.completed b64_json", cassette: "png 16×16", upstream: "webp 16×16")))
    }

    @Test("every kind has one grade and a statement, and the grades order breaking, notable, cosmetic")
    func kinds() {
        #expect(Set(DriftDifference.kinds.map(\.kind)).count == DriftDifference.kinds.count)
        #expect(DriftDifference.kinds.allSatisfy { !$0.statement.isEmpty })
        #expect(DriftGrade.allCases.sorted() == [.breaking, .notable, .cosmetic])
    }
}
