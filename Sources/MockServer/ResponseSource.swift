import Cassette
import ImageStreamSpec
import NIOCore
import Synthesis

/// What the server answers with, before delivery decides how.
struct ResponseSource: Sendable {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    let isEventStream: Bool
    /// The recorded chunking, when a cassette is replayed.
    let recordedChunks: [(length: Int, at: Duration)]?
    /// The dialect it speaks: the cassette's, or the server's for what it synthesized.
    let dialect: String
    /// For the log: which cassette, or what was synthesized.
    let description: String
    /// The body in a buffer made once (for cassettes), so replays share it instead of copying.
    var sharedBody: ByteBuffer? = nil
    /// What was synthesized for: its dialect may stream in the live shape.
    var synthesizedFor: ResolvedSpec? = nil
}

/// Chooses a cassette, or synthesizes, or explains why neither.
struct ResponseResolver: Sendable {
    let cassettes: [Cassette]
    /// Each cassette's body as a buffer, made once when the server starts.
    let cassetteBodies: [String: ByteBuffer]
    let synthesizer: Synthesizer?
    let catalog: SpecCatalog
    let dialect: String
    /// The request fields that must equal a cassette's for it to be replayed.
    let matchFields: [String]

    init(cassettes: [Cassette], synthesizer: Synthesizer?, catalog: SpecCatalog, dialect: String, matchFields: [String]) {
        self.cassettes = cassettes
        self.cassetteBodies = Dictionary(cassettes.map { ($0.name, ByteBuffer(bytes: $0.response.recording.bytes)) }, uniquingKeysWith: { first, _ in first })
        self.synthesizer = synthesizer
        self.catalog = catalog
        self.dialect = dialect
        self.matchFields = matchFields
    }

    /// The default match: the parameters that change the response's shape, not the prompt.
    static let defaultMatchFields = ["stream", "partial_images", "size", "quality", "output_format", "background", "n"]

    /// What answers a request: a cassette, or a synthesis (not yet carried out: that is the
    /// costly part, done by ``source(for:)``, off the server's threads and only when no delivery
    /// of the same answer is kept).
    enum Choice: Sendable {
        case replay(Cassette)
        case synthesis(SynthesisParameters, ResolvedSpec)

        /// Equal keys give byte-equal answers: a response is a pure function of its cassette
        /// or its synthesis parameters (with the scenario, which the caller adds).
        var key: Key {
            switch self {
            case .replay(let cassette): .cassette(cassette.name)
            case .synthesis(let parameters, _): .synthesis(parameters)
            }
        }

        enum Key: Hashable, Sendable {
            case cassette(String)
            case synthesis(SynthesisParameters)
        }
    }

    func choose(route: Route, fields: RequestFields, seed: UInt64) throws(OpenAIError) -> Choice {
        // A cassette recorded through Tapedeck's own prefixes, or with a query, still answers its route.
        let candidates = cassettes.filter { ((try? Route.resolve($0.request.path))?.path ?? $0.request.path) == route.path }
        if let name = route.cassetteName {
            guard let named = candidates.first(where: { $0.name == name }) else {
                let known = candidates.map(\.name).sorted().prefix(20).joined(separator: ", ")
                throw OpenAIError.notFound("no cassette named \(name) records POST \(route.path); cassettes for it: \(known.isEmpty ? "none" : known)")
            }
            // A named cassette speaks its own dialect, so its request is judged by that dialect's rules.
            let spec = try resolvedSpec(surface: route.surface, dialect: named.dialect)
            try refuseIfInvalid(fields, spec: spec)
            return .replay(named)
        }
        let spec = try resolvedSpec(surface: route.surface, dialect: dialect)
        try refuseIfInvalid(fields, spec: spec)
        let request = RequestView(fields.json, isForm: fields.isForm, spec: spec)
        if let request, let match = candidates.first(where: { differences($0, request).isEmpty }) {
            return .replay(match)
        }
        if synthesizer != nil, let request {
            do {
                return .synthesis(try SynthesisParameters(spec: spec, request: request, seed: seed), spec)
            } catch {
                throw OpenAIError.invalidRequest(String(describing: error))
            }
        }
        throw OpenAIError.notFound(missMessage(route: route, request: request, candidates: candidates))
    }

    /// The answer's bytes: the cassette's (shared), or what the synthesizer makes.
    func source(for choice: Choice, route: Route) throws(OpenAIError) -> ResponseSource {
        switch choice {
        case .replay(let cassette):
            return Self.replay(cassette, sharedBody: cassetteBodies[cassette.name])
        case .synthesis(let parameters, let spec):
            guard let synthesizer else { throw OpenAIError.notFound("synthesis is off") }
            do {
                let response = try synthesizer.respond(to: parameters)
                return ResponseSource(
                    status: response.status, headers: [("Content-Type", response.contentType)], body: response.body,
                    isEventStream: response.isEventStream, recordedChunks: nil, dialect: dialect,
                    description: "synthesized \(route.surface) (\(dialect)): \(parameters)", synthesizedFor: spec
                )
            } catch {
                throw OpenAIError.invalidRequest(String(describing: error))
            }
        }
    }

    private func resolvedSpec(surface: String, dialect: String) throws(OpenAIError) -> ResolvedSpec {
        do {
            return try catalog.resolve(surface: surface, dialect: dialect)
        } catch {
            throw OpenAIError.invalidRequest("dialect \(dialect) does not cover \(surface): \(error)")
        }
    }

    private func refuseIfInvalid(_ fields: RequestFields, spec: ResolvedSpec) throws(OpenAIError) {
        if let refusal = Validator(spec: spec).validateRequest(fields.json, isForm: fields.isForm).first(where: { $0.level == .must }) {
            throw OpenAIError.from(refusal, parameters: spec.request.keys)
        }
    }

    /// A cassette's response as a source, its recorded chunking kept for `chunking=recorded`.
    static func replay(_ cassette: Cassette, sharedBody: ByteBuffer?) -> ResponseSource {
        let recording = cassette.response.recording
        let chunks = cassette.response.arrivals.map { (length: $0.length, at: $0.at) }
        return ResponseSource(
            status: cassette.response.status,
            headers: cassette.response.headers.filter { !Self.framingHeaders.contains($0.name.lowercased()) }.map { ($0.name, $0.value) },
            body: recording.bytes,
            isEventStream: cassette.isEventStream,
            recordedChunks: chunks,
            dialect: cassette.dialect,
            description: "cassette \(cassette.name)",
            sharedBody: sharedBody
        )
    }

    /// Headers the server sets itself from the chosen framing.
    static let framingHeaders: Set<String> = ["content-length", "transfer-encoding", "connection"]

    /// The match fields whose values differ between the cassette's request and this one.
    private func differences(_ cassette: Cassette, _ request: RequestView) -> [(field: String, cassette: String, request: String)] {
        let recorded = cassette.requestFieldsJSON.flatMap { try? JSONValue.parse($0) }
        let recordedView = RequestView(recorded, isResponses: cassette.surface == "responses", isForm: cassette.requestIsForm)
        return matchFields.compactMap { field in
            let mine = request.imageSettings[field].map(Self.text) ?? "absent"
            let theirs = recordedView?.imageSettings[field].map(Self.text) ?? "absent"
            return mine == theirs ? nil : (field, theirs, mine)
        }
    }

    private func missMessage(route: Route, request: RequestView?, candidates: [Cassette]) -> String {
        var message = "Tapedeck has no cassette for POST \(route.path) with these parameters and synthesis is off (start the server with --synthesize to answer any valid request)"
        guard let request else { return message }
        let ranked = candidates.map { ($0, differences($0, request)) }.min { $0.1.count < $1.1.count }
        if let (nearest, differing) = ranked {
            let what = differing.map { "\($0.field) is \($0.request), the cassette has \($0.cassette)" }.joined(separator: "; ")
            message += ". Nearest cassette: \(nearest.name) (\(what))"
        } else {
            message += ". No cassette records \(route.path)"
        }
        return message
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        default: value.typeName
        }
    }
}
