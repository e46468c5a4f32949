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
        /// Its size on the wire, blank line included: a whole image makes it megabytes.
        var byteCount: Int = 0
    }

    /// A preview the client may present: the image of a partial-image event.
    struct PartialImage: Hashable, Sendable {
        var sha256: String
        var count: Int
        /// Where it came from, such as `event 5 (response.image_generation_call.partial_image)`.
        var origin: String
    }

    /// A final image the client may present.
    struct FinalImage: Hashable, Sendable {
        enum Content: Hashable, Sendable {
            case bytes(sha256: String, count: Int, format: String)
            /// An image behind a URL, with the digest of what the URL serves once fetched
            /// (``resolvingURLs(timeout:)``).
            case url(String, sha256: String?)
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
    /// Final images that arrived truncated or corrupt, with what is wrong: by digest, or (for
    /// an image behind a URL) by `url:` and the URL.
    var brokenFinals: [(sha256: String, problem: String)] = []
    /// Why the client must report an error; nil when it need not.
    var errorRequired: String?
    /// Whether the client must succeed (CLIENT-001): the response is complete and whole.
    var successRequired = false
    /// A non-2xx status the response had.
    var httpStatus: Int?
    /// Events may be lost to a TCP reset, so the client may surface only a prefix of them.
    var eventsMayBeCut = false
    /// The previews delivered, in order.
    var partials: [PartialImage] = []
    /// What the stream does not send that a client written from the docs may wait for, as
    /// the live API does not send it either (`response.image_generation_call.completed`,
    /// `data: [DONE]`); nil when nothing is missing. The judge names it when a client fails.
    var absentMarkers: String?

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
        var terminal = false
        var problems: [String] = []
        var sawCallCompleted = false
        var sawDone = false
        /// Image calls whose result a finished item carried, so response.completed's copy is
        /// not counted twice.
        var finishedCalls: Set<String> = []
        // Each event is read as it is dispatched, so a stream of 30 MB images holds one at a time.
        var parser = SSEParser()
        var index = -1
        parser.feed(bytes) { event in
            index += 1
            if sawDone { return }
            if event.data.hasPrefix("[DONE]") {
                sawDone = true
                return
            }
            guard let json = try? JSONValue.parse(event.data), json.object != nil else {
                problems.append("event \(index) carries data that is not a JSON object")
                return
            }
            let type = json["type"]?.string ?? event.type
            var expected = Event(type: type, partialImageIndex: json["partial_image_index"]?.integer, usage: json["usage"] ?? json["response"]?["usage"],
                                 mayBeReportedInstead: false, byteCount: event.byteRange.count + 1)
            let origin = "event \(index) (\(type))"
            switch type {
            case "error", "response.failed", "response.incomplete":
                expected.mayBeReportedInstead = true
                problems.append("event \(index) is \(type)")
            case "image_generation.completed", "image_edit.completed":
                terminal = true
                addFinal(base64: json["b64_json"]?.string, url: json["url"]?.string, origin: origin, problems: &problems)
            case "image_generation.partial_image", "image_edit.partial_image":
                addPartial(base64: json["b64_json"]?.string, origin: origin)
            case "response.image_generation_call.partial_image":
                addPartial(base64: json["partial_image_b64"]?.string, origin: origin)
            case "response.image_generation_call.completed":
                sawCallCompleted = true
            case "response.output_item.done" where json["item"]?["type"]?.string == "image_generation_call":
                // A finished item without its result leaves the image to response.completed.
                guard let result = json["item"]?["result"]?.string, !result.isEmpty else { break }
                if let id = json["item"]?["id"]?.string { finishedCalls.insert(id) }
                addFinal(base64: result, url: nil, origin: origin, problems: &problems)
            case "response.completed":
                terminal = true
                // Some servers carry the image only here: it counts, once per call.
                for (position, item) in (json["response"]?["output"]?.array ?? []).enumerated() where item["type"]?.string == "image_generation_call" {
                    guard let id = item["id"]?.string, !finishedCalls.contains(id) else { continue }
                    finishedCalls.insert(id)
                    addFinal(base64: item["result"]?.string, url: nil, origin: "\(origin).output[\(position)]", problems: &problems)
                }
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
        var absent: [String] = []
        if surface == "responses", !finishedCalls.isEmpty, !sawCallCompleted { absent.append("no response.image_generation_call.completed") }
        if !sawDone { absent.append("no data: [DONE]") }
        if terminal, absent.count == 2 {
            absentMarkers = "this stream sends \(absent.joined(separator: " and ")), as api.openai.com does: the final image is in response.output_item.done and response.completed, and the stream ends after response.completed"
        } else if terminal, surface != "responses", !sawDone {
            absentMarkers = "this stream sends no data: [DONE], as documented: it ends after its final event"
        }
    }

    /// The expectation with each URL's image fetched: a whole image of the format its URL names
    /// keeps its digest, so a client may present the URL or the image; a broken one (missing,
    /// cut, another format) is an error the client must report.
    func resolvingURLs(timeout: Double) async -> ClientExpectation {
        guard finals.contains(where: { if case .url = $0.content { true } else { false } }) else { return self }
        var resolved = self
        resolved.finals = []
        var problems: [String] = []
        for final in finals {
            guard case .url(let url, _) = final.content else {
                resolved.finals.append(final)
                continue
            }
            switch await ServedImageCheck.fetchDetached(url, timeout: timeout) {
            case .image(let bytes):
                resolved.finals.append(FinalImage(content: .url(url, sha256: ImagePayloadText.sha256(bytes)), origin: final.origin))
            case .broken(let problem):
                resolved.brokenFinals.append(("url:" + url, "\(final.origin): \(problem)"))
                problems.append(problem)
            }
        }
        if !problems.isEmpty {
            resolved.errorRequired = ([resolved.errorRequired].compactMap { $0 } + problems).joined(separator: "; ")
            resolved.successRequired = false
        }
        return resolved
    }

    /// Records a delivered preview (an undecodable one is not expected of the client).
    private mutating func addPartial(base64: String?, origin: String) {
        guard let base64, let bytes = ImagePayloadText.decode(base64) else { return }
        partials.append(PartialImage(sha256: ImagePayloadText.sha256(bytes), count: bytes.count, origin: origin))
    }

    /// An Images API body (`data[]`) or a Response (`output[]`, the image calls' `result`).
    private mutating func readBody(_ bytes: ArraySlice<UInt8>) {
        guard let json = try? JSONValue.parse(bytes), json.object != nil else {
            errorRequired = "the body is not a JSON object (\(bytes.count) bytes delivered)"
            return
        }
        var problems: [String] = []
        if let items = json["data"]?.array {
            for (index, item) in items.enumerated() {
                addFinal(base64: item["b64_json"]?.string, url: item["url"]?.string, origin: "data[\(index)]", problems: &problems)
            }
            if items.isEmpty { problems.append("the data array is empty") }
        } else if let output = json["output"]?.array {
            let calls = output.enumerated().filter { $0.element["type"]?.string == "image_generation_call" }
            for (index, call) in calls {
                addFinal(base64: call["result"]?.string, url: nil, origin: "output[\(index)]", problems: &problems)
            }
            if calls.isEmpty { problems.append("the response's output has no image_generation_call") }
            if let status = json["status"]?.string, status != "completed" { problems.append("the response has status \(status)") }
        } else {
            problems.append("the body has neither a data array (Images API) nor an output array (a Response)")
        }
        if !problems.isEmpty { errorRequired = problems.joined(separator: "; ") }
    }

    private mutating func addFinal(base64: String?, url: String?, origin: String, problems: inout [String]) {
        if let url, base64 == nil {
            finals.append(FinalImage(content: .url(url, sha256: nil), origin: origin))
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
