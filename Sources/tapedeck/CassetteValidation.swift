import Cassette
import ImageStreamSpec

extension ValidationInput {
    /// What validating a cassette reads: its recorded request (or `request` in its place), its
    /// response, and its progress section as the dialect's progress spec reads it.
    init(cassette: Cassette, spec: ResolvedSpec, request: JSONValue? = nil) throws {
        let recordedRequest = try cassette.requestFieldsJSON.map { try JSONValue.parse($0) }
        let bytes = cassette.response.recording.bytes
        self.init(
            request: request ?? recordedRequest,
            requestIsForm: request == nil && cassette.requestIsForm,
            response: cassette.isEventStream ? .stream(bytes) : .body(bytes),
            progress: cassette.progress.flatMap { Self.progress($0, of: cassette, spec: spec) })
    }

    /// The tape as the validator sees it: the jobs are the ones the answer's job header names.
    static func progress(_ tape: ProgressTape, of cassette: Cassette, spec: ResolvedSpec) -> ProgressRecording? {
        guard let transport = ProgressRecording.Transport(rawValue: tape.transport) else { return nil }
        let jobs = spec.progress.map { progress in cassette.response.headers.filter { $0.name.lowercased() == progress.jobHeader.lowercased() }.map(\.value) } ?? []
        let ended = cassette.response.chunkTimes.last.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        return ProgressRecording(
            transport: transport,
            frames: tape.frames.map { ProgressRecording.Frame(seconds: Double($0.at.components.seconds) + Double($0.at.components.attoseconds) / 1e18, text: $0.text) },
            jobs: jobs, answerEndedSeconds: ended)
    }
}

extension Validator {
    /// Validates `cassette` against `surface` and `dialect` (its own unless given): its request
    /// (or `request` in its place), its response and its progress section. One place for
    /// record, import, validate and the session page.
    static func validate(_ cassette: Cassette, catalog: SpecCatalog, surface: String? = nil, dialect: String? = nil, request: JSONValue? = nil,
                         eventLimit: Int = Validator.defaultEventLimit) throws -> ValidationReport {
        let spec = try catalog.resolve(surface: surface ?? cassette.surface, dialect: dialect ?? cassette.dialect)
        return try Validator(spec: spec).validate(ValidationInput(cassette: cassette, spec: spec, request: request), eventLimit: eventLimit)
    }
}
