import Cassette
import Delivery
import ImageStreamSpec
import SSEWire
import Synthesis

/// Makes cassettes without a provider: the response synthesized for a request, delivered
/// through a scenario (so faults such as truncation are recorded as a client would see them),
/// one chunk per event, honest about where it came from.
public enum CassetteFactory {
    public static func synthesize(
        name: String, surface: String, dialect: String, requestJSON: String,
        scenario: Scenario = Scenario(), catalog: SpecCatalog, tool: String
    ) throws -> Cassette {
        let spec = try catalog.resolve(surface: surface, dialect: dialect)
        let request = try JSONValue.parse(requestJSON)
        guard let view = RequestView(request, isForm: spec.readsAsForm(request), spec: spec) else {
            throw SynthesisError.unsupported("a request that is not a JSON object")
        }
        let parameters = try SynthesisParameters(spec: spec, request: view, seed: scenario.seed)
        let response = try Synthesizer().respond(to: parameters)
        let plan = ServerDelivery.plan(body: response.body, isEventStream: response.isEventStream, surface: surface, dialect: dialect, recordedChunks: nil, scenario: ServerDelivery.scenario(scenario, synthesizedFor: spec), catalog: catalog, imageBase: nil)
        let delivered = Array(plan.body[..<plan.deliveredByteCount])
        let contentType = plan.header("Content-Type") ?? response.contentType
        let chunkEnds = contentType == "text/event-stream" ? eventEnds(in: delivered) : (delivered.isEmpty ? [] : [delivered.count])
        let path = Route.surfaces.first { $0.value == surface }?.key ?? "/v1/\(surface)"
        let parameterText = "{\"request\":\(requestJSON),\"scenario\":\"\(scenario)\",\"dialect\":\"\(dialect)\"}"
        return Cassette(
            name: name, surface: surface, dialect: dialect,
            provenance: .synthesized(tool: tool, parameters: parameterText),
            request: RecordedRequest(method: "POST", path: path, headers: [Header("Content-Type", "application/json")], body: .json(requestJSON)),
            response: RecordedResponse(
                status: plan.status,
                headers: [Header("Content-Type", contentType)] + plan.headers.filter { $0.0.lowercased() != "content-type" }.map { Header($0.0, $0.1) },
                recording: try SSERecording(bytes: delivered, chunkEnds: chunkEnds),
                chunkTimes: chunkEnds.indices.map { .milliseconds(120 + 400 * $0) },
                ending: plan.ending == .complete ? .complete : .truncated
            )
        )
    }

    /// One chunk per complete event, and one for whatever follows the last.
    static func eventEnds(in bytes: [UInt8]) -> [Int] {
        let recording = SSERecording(bytes: bytes)
        var ends = SSEParser.parse(bytes).events.map { recording.bytes(of: $0).endIndex }
        if let last = ends.last, last < bytes.count { ends.append(bytes.count) }
        if ends.isEmpty, !bytes.isEmpty { ends = [bytes.count] }
        return ends
    }
}
