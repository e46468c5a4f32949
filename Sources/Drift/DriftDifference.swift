/// How much a difference matters to a client written against the cassette.
public enum DriftGrade: String, CaseIterable, Comparable, Sendable {
    /// A client that worked on the cassette can fail now: a status, event or field it reads is
    /// gone or changed kind, the image format changed, the stream ends differently.
    case breaking
    /// Worth a look: new event types, a different order or count, other status or echoed values,
    /// another image size.
    case notable
    /// Nothing a client reads: fields added, response headers changed.
    case cosmetic

    public static func < (lhs: DriftGrade, rhs: DriftGrade) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The level a report gives it: a breaking difference fails, a notable one is non-strict.
    public var level: String {
        switch self {
        case .breaking: "MUST"
        case .notable: "SHOULD"
        case .cosmetic: "INFO"
        }
    }
}

/// One way the new recording differs from the cassette.
public struct DriftDifference: Hashable, Sendable {
    /// What changed, a stable ID scripts can match: `DRIFT-EVENT-GONE`, `DRIFT-FIELD-ADDED`, …
    public var kind: String
    public var grade: DriftGrade
    /// Where: an event type and a field path, or "response".
    public var place: String
    public var cassette: String
    public var upstream: String

    public init(kind: String, grade: DriftGrade, place: String, cassette: String, upstream: String) {
        self.kind = kind
        self.grade = grade
        self.place = place
        self.cassette = cassette
        self.upstream = upstream
    }

    /// What each kind means, for reports and `--help`; its grade is fixed by the kind.
    public static let kinds: [(kind: String, grade: DriftGrade, statement: String)] = [
        ("DRIFT-STATUS", .breaking, "The HTTP status differs."),
        ("DRIFT-BODY-KIND", .breaking, "The body is another kind (event stream, JSON, other)."),
        ("DRIFT-ENDING", .breaking, "The response ends another way (complete, truncated, …)."),
        ("DRIFT-EVENT-GONE", .breaking, "An event type the cassette has is not sent any more."),
        ("DRIFT-FIELD-GONE", .breaking, "A field the cassette's events carry is not sent any more."),
        ("DRIFT-FIELD-KIND", .breaking, "A field holds another JSON kind (a string where an object was)."),
        ("DRIFT-IMAGE-FORMAT", .breaking, "The images are in another format."),
        ("DRIFT-DONE-GONE", .breaking, "The stream no longer ends with a `data: [DONE]` line."),
        ("DRIFT-EVENT-ADDED", .notable, "An event type is sent that the cassette does not have."),
        ("DRIFT-ORDER", .notable, "The event types come in another order."),
        ("DRIFT-COUNT", .notable, "An event type is sent another number of times (fewer partial images, say)."),
        ("DRIFT-STATUS-VALUE", .notable, "A `status` field holds other values."),
        ("DRIFT-ECHO", .notable, "A request setting is echoed with another value."),
        ("DRIFT-IMAGE-SIZE", .notable, "The images have another pixel size."),
        ("DRIFT-DONE-ADDED", .notable, "The stream now ends with a `data: [DONE]` line."),
        ("DRIFT-FIELD-ADDED", .cosmetic, "The events carry a field the cassette's do not."),
        ("DRIFT-HEADER", .cosmetic, "A response header is sent or left out that the cassette differs on."),
    ]

    public static func grade(of kind: String) -> DriftGrade {
        kinds.first { $0.kind == kind }?.grade ?? .notable
    }

    public static func statement(of kind: String) -> String {
        kinds.first { $0.kind == kind }?.statement ?? kind
    }

    static func make(_ kind: String, _ place: String, cassette: String, upstream: String) -> DriftDifference {
        DriftDifference(kind: kind, grade: grade(of: kind), place: place, cassette: cassette, upstream: upstream)
    }
}
