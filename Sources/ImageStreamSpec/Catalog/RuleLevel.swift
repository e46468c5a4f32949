/// How much a rule matters, in the words specs use.
public enum RuleLevel: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Breaking it is an error.
    case must = "MUST"
    /// Breaking it is a warning (an error under --strict).
    case should = "SHOULD"
    /// Worth knowing; never a failure.
    case info = "INFO"
    /// Switched off by a dialect.
    case off = "off"

    public var severity: String {
        switch self {
        case .must: "error"
        case .should: "warning"
        case .info: "info"
        case .off: "off"
        }
    }

    private var rank: Int {
        switch self {
        case .must: 3
        case .should: 2
        case .info: 1
        case .off: 0
        }
    }

    public static func < (lhs: RuleLevel, rhs: RuleLevel) -> Bool { lhs.rank < rhs.rank }
}

/// One rule: what must hold, how much it matters, where it is written, and which check tests it.
public struct Rule: Hashable, Sendable, Identifiable {
    /// Stable, never renumbered: test names, findings and JUnit cases use it.
    public let id: String
    public var level: RuleLevel
    public let statement: String
    public let source: String
    /// The name of the check that tests it (see `Check.all`).
    public let check: String
    /// The file the rule was read from.
    public let file: String
}
