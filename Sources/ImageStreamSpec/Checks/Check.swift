/// A named test of one rule. Rules in Specs/ name their check; the check finds violations and
/// the validator turns them into findings carrying the rule's ID, level and source.
public struct Check: Sendable {
    public let name: String
    let run: @Sendable (CheckContext) -> [Violation]

    init(_ name: String, _ run: @escaping @Sendable (CheckContext) -> [Violation]) {
        self.name = name
        self.run = run
    }

    /// Every check there is.
    public static let all: [Check] = WireChecks.all + SchemaChecks.all + PayloadChecks.all + UsageChecks.all
        + RequestChecks.all + ImageStreamChecks.all + ResponsesChecks.all + DialectChecks.all + ErrorBodyChecks.all + ProgressChecks.all

    private static let byName: [String: Check] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    public static func named(_ name: String) -> Check? { byName[name] }

    /// The checks that read only the request.
    static let requestCheckNames: Set<String> = Set(RequestChecks.all.map(\.name) + ["input-images-are-data-urls", "request-prompt-present"])
}

/// What a check found: where, what, and what was expected instead.
struct Violation: Sendable {
    var location: Finding.Location
    var message: String
    var expected: String?
    var actual: String?

    init(_ location: Finding.Location, _ message: String, expected: String? = nil, actual: String? = nil) {
        self.location = location
        self.message = message
        self.expected = expected
        self.actual = actual
    }
}

/// Everything a check may read.
struct CheckContext: Sendable {
    let spec: ResolvedSpec
    let trace: ResponseTrace
    let request: RequestView?
    /// The progress socket recorded next to the exchange, when there was one.
    var progress: ProgressRecording? = nil
    /// Its frames read through the dialect's progress spec (nil: no recording, or no spec).
    var progressMessages: ReadProgress? {
        guard let progress, let spec = spec.progress else { return nil }
        return ReadProgress(progress, spec: spec)
    }

    /// Events with JSON whose type has `role` in this surface.
    func events(playing role: EventRole) -> [ResponseTrace.TraceEvent] {
        trace.jsonEvents.filter { $0.type.flatMap(spec.role(of:)) == role }
    }

    func role(of event: ResponseTrace.TraceEvent) -> EventRole? {
        event.type.flatMap(spec.role(of:))
    }

    /// The JSON body, unless it is an error body.
    var imagesBody: JSONValue? {
        guard let body = trace.body, !body.isErrorBody else { return nil }
        return body
    }

    var errorBody: JSONValue? {
        guard let body = trace.body, body.isErrorBody else { return nil }
        return body
    }
}
