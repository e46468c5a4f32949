@testable import Conformance
import Foundation
import ImageStreamSpec
import SSEWire

/// A small in-process client with one mistake of the kind real clients ship, for the tests:
/// it reads the whole response, then does what a careful client does, except where its
/// `mistake` says otherwise.
struct ScriptedClient: BlockingClientDriver {
    enum Mistake: Sendable {
        /// Takes the final image only once `response.image_generation_call.completed` came
        /// (agent-framework 8422); a stream without it ends in an error.
        case waitsForCallCompleted
        /// Treats a stream without `data: [DONE]` as broken.
        case requiresDone
        /// Refuses a line longer than this many bytes, as aiohttp's 512 KiB default does.
        case capsLines(Int)
        /// Surfaces every partial-image event but presents none of their images.
        case dropsPreviews
        /// Presents each preview with its last byte changed.
        case garblesPreviews
        /// Presents the last preview as the final image.
        case showsLastPreviewAsFinal
        /// Presents a body's image URLs without fetching what they lead to.
        case trustsURLs
    }

    let mistake: Mistake

    func observe(_ job: ClientJob) -> Observation {
        var observation = Observation()
        var body: [UInt8] = []
        var status = 0
        let (headers, requestBody) = ReferenceClient.encode(job.request)
        do {
            _ = try LoopbackHTTP(timeout: job.timeout).exchange(
                method: job.request.method, url: job.baseURL + job.request.path, headers: headers, body: requestBody,
                onHead: { status = $0.status }, onBody: { body += $0; return true }
            )
        } catch {
            return failed(observation, "\(error)")
        }
        guard status == 200 else { return failed(observation, "HTTP \(status)") }
        if body.first == UInt8(ascii: "{") {
            // A JSON body: its images, as URLs or bytes, as they are.
            for item in (try? JSONValue.parse(body))?["data"]?.array ?? [] {
                if let url = item["url"]?.string {
                    observation.finals.append(.url(url))
                } else if let bytes = item["b64_json"]?.string.flatMap(ImagePayloadText.decode) {
                    observation.finals.append(.bytes(bytes))
                }
            }
            return observation
        }
        if case .capsLines(let cap) = mistake, let long = Self.longestLine(body), long > cap {
            // What a capped reader does: the events before the long line, then an error.
            let before = Array(body.prefix(Self.startOfFirstLine(longerThan: cap, in: body)))
            record(SSEParser.parse(before).events, into: &observation)
            return failed(observation, "line too long: more than \(cap) bytes")
        }
        let events = SSEParser.parse(body).events
        let sawDone = events.contains { $0.data.hasPrefix("[DONE]") }
        let sawCallCompleted = record(events, into: &observation)
        switch mistake {
        case .waitsForCallCompleted where !sawCallCompleted:
            observation.finals = []
            return failed(observation, "the stream ended before response.image_generation_call.completed")
        case .requiresDone where !sawDone:
            return failed(observation, "the stream ended without data: [DONE]")
        default:
            return observation
        }
    }

    /// Surfaces the events and presents images as the mistake says; returns whether an
    /// image_generation_call.completed came.
    @discardableResult
    private func record(_ events: [SSEEvent], into observation: inout Observation) -> Bool {
        var sawCallCompleted = false
        for event in events where !event.data.hasPrefix("[DONE]") {
            guard let json = try? JSONValue.parse(event.data), let type = json["type"]?.string else { continue }
            observation.events.append(.init(type: type, partialImageIndex: json["partial_image_index"]?.integer))
            switch type {
            case "image_generation.partial_image", "image_edit.partial_image", "response.image_generation_call.partial_image":
                guard let bytes = (json["b64_json"]?.string ?? json["partial_image_b64"]?.string).flatMap(ImagePayloadText.decode) else { continue }
                switch mistake {
                case .dropsPreviews: break
                case .garblesPreviews: observation.partials.append(Array(bytes.dropLast()) + [bytes.last.map { $0 ^ 0xFF } ?? 0])
                default: observation.partials.append(bytes)
                }
            case "image_generation.completed", "image_edit.completed":
                if let bytes = json["b64_json"]?.string.flatMap(ImagePayloadText.decode) { observation.finals.append(.bytes(bytes)) }
            case "response.image_generation_call.completed":
                sawCallCompleted = true
            case "response.output_item.done" where json["item"]?["type"]?.string == "image_generation_call":
                if let bytes = json["item"]?["result"]?.string.flatMap(ImagePayloadText.decode) { observation.finals.append(.bytes(bytes)) }
            default:
                break
            }
        }
        if case .showsLastPreviewAsFinal = mistake, let last = observation.partials.last, !observation.finals.isEmpty {
            observation.finals = [.bytes(last)]
        }
        return sawCallCompleted
    }

    private func failed(_ observation: Observation, _ message: String) -> Observation {
        var observation = observation
        observation.error = .init(message: message)
        observation.exitCode = 1
        return observation
    }

    /// The line ends of `body` (CR and LF), found with memchr: tests run unoptimized, and a
    /// full-size stream is a hundred megabytes.
    static func lineEnds(_ body: [UInt8]) -> [Int] {
        body.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            var ends: [Int] = []
            for target in [Int32(0x0A), Int32(0x0D)] {
                var start = 0
                while start < buffer.count, let found = memchr(base + start, target, buffer.count - start) {
                    let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    ends.append(index)
                    start = index + 1
                }
            }
            return ends.sorted()
        }
    }

    static func longestLine(_ body: [UInt8]) -> Int? {
        var start = 0
        var longest = 0
        for end in lineEnds(body) + [body.count] {
            longest = max(longest, end - start)
            start = end + 1
        }
        return longest
    }

    static func startOfFirstLine(longerThan cap: Int, in body: [UInt8]) -> Int {
        var start = 0
        for end in lineEnds(body) + [body.count] {
            if end - start > cap { return start }
            start = end + 1
        }
        return start
    }
}
