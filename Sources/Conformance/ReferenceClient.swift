import Foundation
import ImageFormats
import ImageStreamSpec
import Reports
import SSEWire

/// Tapedeck's own client, on its own SSE layer: what a careful client does. It surfaces every
/// event as it is dispatched, stops at `[DONE]`, treats `error` and `response.failed` events,
/// non-2xx statuses, broken framing, a missing final event and a final image that is not a
/// whole image as errors, and presents only whole images. It runs in process, so the bundled
/// suite needs nothing else and a thousand scenarios take seconds.
public struct ReferenceClient: BlockingClientDriver {
    public init() {}

    func observe(_ job: ClientJob) -> Observation {
        Self.run(job)
    }

    static func run(_ job: ClientJob) -> Observation {
        run(job, encoded: encode(job.request))
    }

    /// Sends `encoded` (the job's request as ``encode(_:)`` makes it, or changed) and observes
    /// the answer as a careful client does.
    static func run(_ job: ClientJob, encoded: (headers: [(String, String)], body: [UInt8])) -> Observation {
        var session = Session(surface: job.request.surface, stream: job.request.stream, timeout: job.timeout)
        let http = LoopbackHTTP(timeout: job.timeout)
        let (headers, body) = encoded
        // Opened before the request, as the gateway's page says: a job's first messages come at once.
        let socket = job.request.progress.flatMap { ProgressFollower.open($0, timeout: job.timeout) }
        var jobID: String?
        let started = ContinuousClock.now
        let ending: LoopbackHTTP.Ending
        do {
            ending = try http.exchange(
                method: job.request.method, url: job.baseURL + job.request.path, headers: headers, body: body,
                onHead: { head in
                    session.status = head.status
                    session.isEventStream = head.header("content-type")?.hasPrefix("text/event-stream") == true
                    jobID = job.request.progress.flatMap { head.header($0.jobHeader) }
                },
                onBody: { session.receive($0, at: started.duration(to: .now)) }
            )
        } catch {
            var observation = Observation()
            observation.error = .init(message: "\(error)")
            observation.exitCode = 1
            if let socket, let channel = job.request.progress { observation.progress = ProgressFollower.observe(socket, channel: channel, job: nil) }
            return observation
        }
        var observation = session.finish(ending: ending)
        if let socket, let channel = job.request.progress {
            // The image decides the outcome; the channel only informs: a socket that failed to
            // open, stalled or closed costs the progress shown, never the generation.
            observation.progress = ProgressFollower.observe(socket, channel: channel, job: jobID)
        }
        return observation
    }

    /// The request's headers and body: JSON, or multipart with the upload files.
    static func encode(_ request: ClientRequest) -> (headers: [(String, String)], body: [UInt8]) {
        var headers = [("Authorization", "Bearer sk-tapedeck-dummy"), ("Accept", request.stream ? "text/event-stream" : "application/json")]
        guard request.method == "POST" else { return (headers, []) }
        guard request.isMultipart else {
            headers.append(("Content-Type", "application/json"))
            return (headers, Array((request.bodyJSON ?? "{}").utf8))
        }
        let boundary = "tapedeck-reference-boundary"
        var body: [UInt8] = []
        func append(_ text: String) { body += Array(text.utf8) }
        if let fields = (try? JSONValue.parse(request.bodyJSON ?? "{}"))?.object {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                let text = value.string ?? value.integer.map(String.init) ?? "\(value)"
                append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(text)\r\n")
            }
        }
        for file in request.files {
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n")
            body += FileManager.default.contents(atPath: file.path).map { [UInt8]($0) } ?? []
            append("\r\n")
        }
        append("--\(boundary)--\r\n")
        headers.append(("Content-Type", "multipart/form-data; boundary=\(boundary)"))
        return (headers, body)
    }

    /// One response as it arrives.
    private struct Session {
        let surface: String
        let stream: Bool
        let timeout: Double
        var status = 0
        var isEventStream = false
        var parser = SSEParser()
        var observation = Observation()
        var finals: [Observation.FinalImage] = []
        /// Image calls whose result was presented, so response.completed's copy is not shown twice.
        var presentedCalls: Set<String> = []
        var problem: String?
        var terminal = false
        var done = false
        var body: [UInt8] = []
        var received = 0

        init(surface: String, stream: Bool, timeout: Double) {
            self.surface = surface
            self.stream = stream
            self.timeout = timeout
        }

        /// Returns false to stop reading.
        mutating func receive(_ bytes: ArraySlice<UInt8>, at time: Duration) -> Bool {
            observation.arrivals.append(ChunkMark(offset: received, length: bytes.count, time: time.seconds))
            received += bytes.count
            guard (200..<300).contains(status), isEventStream else {
                body += bytes
                return true
            }
            let seconds = time.seconds
            var events: [SSEEvent] = []
            parser.feed(bytes) { events.append($0) }
            for event in events where !done && problem == nil {
                handle(event, at: seconds)
            }
            return !done && problem == nil
        }

        private mutating func handle(_ event: SSEEvent, at time: Double) {
            if surface == "sse" {
                observation.events.append(.init(type: event.type, data: event.data, id: event.lastEventID, time: time))
                return
            }
            if event.data.hasPrefix("[DONE]") {
                done = true
                return
            }
            guard let json = try? JSONValue.parse(event.data), json.object != nil else {
                problem = "an event's data is not a JSON object: \(event.data.prefix(80))"
                return
            }
            let type = json["type"]?.string ?? event.type
            switch type {
            case "error", "response.failed", "response.incomplete":
                let message = json["error"]?["message"]?.string ?? json["message"]?.string ?? json["response"]?["error"]?["message"]?.string ?? "no message"
                problem = "the stream reported \(type): \(message)"
                return
            case "image_generation.completed", "image_edit.completed":
                terminal = true
                present(base64: json["b64_json"]?.string, url: json["url"]?.string, what: type)
            case "image_generation.partial_image", "image_edit.partial_image":
                preview(base64: json["b64_json"]?.string)
            case "response.image_generation_call.partial_image":
                preview(base64: json["partial_image_b64"]?.string)
            case "response.output_item.done" where json["item"]?["type"]?.string == "image_generation_call":
                // Status completed or generating (the live API's): the result is the image.
                // Without one, response.completed is where it comes.
                guard let result = json["item"]?["result"]?.string, !result.isEmpty else { break }
                if let id = json["item"]?["id"]?.string { presentedCalls.insert(id) }
                present(base64: result, url: nil, what: type)
            case "response.completed":
                terminal = true
                // Where no output_item.done carried a call's image, the final response does.
                for item in json["response"]?["output"]?.array ?? [] where item["type"]?.string == "image_generation_call" {
                    guard let id = item["id"]?.string, presentedCalls.insert(id).inserted else { continue }
                    present(base64: item["result"]?.string, url: nil, what: "\(type) output")
                }
            default:
                break
            }
            observation.events.append(.init(type: type, partialImageIndex: json["partial_image_index"]?.integer, usage: json["usage"] ?? json["response"]?["usage"], time: time))
        }

        /// Shows a preview; one that does not decode is skipped, as a user would see nothing.
        private mutating func preview(base64: String?) {
            guard let base64, let bytes = ImagePayloadText.decode(base64) else { return }
            observation.partials.append(bytes)
        }

        private mutating func present(base64: String?, url: String?, what: String) {
            if let url, base64 == nil {
                // The image behind the URL is fetched and checked before the URL is shown.
                switch ServedImageCheck.fetch(url, timeout: timeout) {
                case .image: finals.append(.url(url))
                case .broken(let why): problem = why
                }
                return
            }
            guard let base64, let bytes = ImagePayloadText.decode(base64) else {
                problem = "\(what) carries no decodable image"
                return
            }
            let inspection = ImageInspector.inspect(bytes)
            guard inspection.isComplete else {
                problem = "the final image in \(what) is not a whole image: \(inspection.problems.first.map { "\($0)" } ?? "unknown format")"
                return
            }
            finals.append(.bytes(bytes))
        }

        mutating func finish(ending: LoopbackHTTP.Ending) -> Observation {
            if !(200..<300).contains(status) {
                let json = try? JSONValue.parse(body)
                fail(json?["error"]?["message"]?.string ?? "HTTP \(status)", status: status)
            } else if !isEventStream {
                readBody(ending: ending)
            } else if problem == nil, !done {
                switch ending {
                case .complete: if !terminal, surface != "sse" { problem = "the stream ended before its final event" }
                case .closedEarly: problem = "the connection closed before the response ended"
                case .reset: problem = "the connection was reset"
                case .timedOut: problem = "no data for too long"
                }
            } else if problem == nil, done, !terminal {
                problem = "[DONE] came before the final event"
            }
            if let problem { fail(problem, status: nil) }
            if observation.error == nil { observation.finals = finals }
            return observation
        }

        private mutating func readBody(ending: LoopbackHTTP.Ending) {
            guard ending == .complete else {
                fail("the connection ended before the response body did", status: nil)
                return
            }
            let json = try? JSONValue.parse(body)
            if let items = json?["data"]?.array, !items.isEmpty {
                for item in items {
                    present(base64: item["b64_json"]?.string, url: item["url"]?.string, what: "data")
                }
                return
            }
            // A Response: each image call's result, when the response completed.
            let calls = (json?["output"]?.array ?? []).filter { $0["type"]?.string == "image_generation_call" }
            guard json?["status"]?.string == "completed", !calls.isEmpty else {
                fail("the body is neither an images response with data nor a completed Response with an image call", status: nil)
                return
            }
            for call in calls {
                present(base64: call["result"]?.string, url: nil, what: "output")
            }
        }

        private mutating func fail(_ message: String, status: Int?) {
            guard observation.error == nil else { return }
            observation.error = .init(message: message, status: status)
            observation.exitCode = 1
        }
    }
}
