import Crypto
import Delivery
import Foundation
import ImageFormats
import ImageStreamSpec
import SSEWire

/// What a conformant client shows for one delivered response, derived from the bytes the
/// server actually sent (after chunking, rewrites and faults) with the same parser the
/// validator uses.
struct ClientExpectation: Sendable {
    /// An event the client must surface.
    struct Event: Hashable, Sendable {
        var type: String
        var partialImageIndex: Int?
        var usage: JSONValue?
        /// `error` and `response.failed` may be reported as an error instead of surfaced.
        var mayBeReportedInstead: Bool
    }

    /// A final image the client may present.
    struct FinalImage: Hashable, Sendable {
        enum Content: Hashable, Sendable {
            case bytes(sha256: String, count: Int, format: String)
            case url(String)
        }
        var content: Content
        /// Where it came from, such as `event 7 (image_generation.completed)`.
        var origin: String
    }

    /// A dispatched event of a plain event stream, as WHATWG defines it.
    struct WireEvent: Hashable, Sendable {
        var type: String
        var data: String
        var id: String
    }

    var events: [Event] = []
    var wireEvents: [WireEvent]?
    /// The intact final images, in order.
    var finals: [FinalImage] = []
    /// Digests of final images that arrived truncated or corrupt, with what is wrong.
    var brokenFinals: [(sha256: String, problem: String)] = []
    /// Why the client must report an error; nil when it need not.
    var errorRequired: String?
    /// Whether the client must succeed (CLIENT-001): the response is complete and whole.
    var successRequired = false
    /// A non-2xx status the response had.
    var httpStatus: Int?
    /// Events may be lost to a TCP reset, so the client may surface only a prefix of them.
    var eventsMayBeCut = false

    /// - Parameters:
    ///   - plan: the delivery the server carried out.
    ///   - status: the status the server answered with.
    ///   - surface: `images.generate`, `images.edit`, `responses` or `sse`.
    ///   - isEventStream: whether the body is an event stream.
    static func derive(plan: DeliveryPlan, status: Int, surface: String, isEventStream: Bool) -> ClientExpectation {
        let delivered = plan.body[0..<min(plan.deliveredByteCount, plan.body.count)]
        let transportWhole = plan.ending == .complete
        var expectation = ClientExpectation()
        expectation.eventsMayBeCut = plan.ending == .reset
        if surface == "sse" {
            var parser = SSEParser()
            var events: [WireEvent] = []
            parser.feed(delivered) { events.append(WireEvent(type: $0.type, data: $0.data, id: $0.lastEventID)) }
            expectation.wireEvents = events
            expectation.successRequired = transportWhole
            return expectation
        }
        guard (200..<300).contains(status) else {
            expectation.httpStatus = status
            expectation.errorRequired = "the response has HTTP status \(status)"
            return expectation
        }
        if isEventStream {
            expectation.readStream(delivered, surface: surface)
        } else {
            expectation.readBody(delivered)
        }
        expectation.successRequired = transportWhole && expectation.errorRequired == nil
        return expectation
    }

    private mutating func readStream(_ bytes: ArraySlice<UInt8>, surface: String) {
        var parser = SSEParser()
        var dispatched: [SSEEvent] = []
        parser.feed(bytes) { dispatched.append($0) }
        var terminal = false
        var problems: [String] = []
        for (index, event) in dispatched.enumerated() {
            if event.data.hasPrefix("[DONE]") { break }
            guard let json = try? JSONValue.parse(event.data), json.object != nil else {
                problems.append("event \(index) carries data that is not a JSON object")
                continue
            }
            let type = json["type"]?.string ?? event.type
            var expected = Event(type: type, partialImageIndex: json["partial_image_index"]?.integer, usage: json["usage"] ?? json["response"]?["usage"], mayBeReportedInstead: false)
            switch type {
            case "error", "response.failed", "response.incomplete":
                expected.mayBeReportedInstead = true
                problems.append("event \(index) is \(type)")
            case "image_generation.completed", "image_edit.completed":
                terminal = true
                addFinal(base64: json["b64_json"]?.string, url: json["url"]?.string, origin: "event \(index) (\(type))", problems: &problems)
            case "response.output_item.done" where json["item"]?["type"]?.string == "image_generation_call":
                addFinal(base64: json["item"]?["result"]?.string, url: nil, origin: "event \(index) (\(type))", problems: &problems)
            case "response.completed":
                terminal = true
            default:
                break
            }
            events.append(expected)
        }
        if !terminal {
            let final = surface == "responses" ? "response.completed" : surface == "images.edit" ? "image_edit.completed" : "image_generation.completed"
            problems.insert("the stream ended before its final event (\(final))", at: 0)
        }
        if !problems.isEmpty { errorRequired = problems.joined(separator: "; ") }
    }

    private mutating func readBody(_ bytes: ArraySlice<UInt8>) {
        guard let json = try? JSONValue.parse(bytes), let items = json["data"]?.array else {
            errorRequired = "the body is not a JSON object with a data array (\(bytes.count) bytes delivered)"
            return
        }
        var problems: [String] = []
        for (index, item) in items.enumerated() {
            addFinal(base64: item["b64_json"]?.string, url: item["url"]?.string, origin: "data[\(index)]", problems: &problems)
        }
        if items.isEmpty { problems.append("the data array is empty") }
        if !problems.isEmpty { errorRequired = problems.joined(separator: "; ") }
    }

    private mutating func addFinal(base64: String?, url: String?, origin: String, problems: inout [String]) {
        if let url, base64 == nil {
            finals.append(FinalImage(content: .url(url), origin: origin))
            return
        }
        guard let base64, let bytes = ImagePayloadText.decode(base64) else {
            problems.append("\(origin) carries no decodable image")
            return
        }
        let inspection = ImageInspector.inspect(bytes)
        let digest = ImagePayloadText.sha256(bytes)
        if inspection.isComplete, let format = inspection.format {
            finals.append(FinalImage(content: .bytes(sha256: digest, count: bytes.count, format: "\(format)"), origin: origin))
        } else {
            let problem = inspection.problems.first.map { "\($0)" } ?? "not a PNG, JPEG or WebP image"
            brokenFinals.append((digest, "\(origin): \(problem)"))
            problems.append("the final image in \(origin) is broken: \(problem)")
        }
    }
}

/// Image payloads as they travel: base64, sometimes behind a `data:` URL prefix.
enum ImagePayloadText {
    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: String(ImageDataURL.split(text).base64)).map { [UInt8]($0) }
    }

    static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        var hash = SHA256()
        hash.update(data: Array(bytes))
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
