/// One thing found wrong (or worth knowing), tied to the rule it breaks and to the bytes.
public struct Finding: Hashable, Sendable {
    public let ruleID: String
    public let level: RuleLevel
    public let statement: String
    public let source: String
    /// What was found, in a sentence.
    public let message: String
    public let location: Location
    /// Offsets of the first and last byte of the event (or body) in the response.
    public let byteRange: ClosedRange<Int>?
    public let expected: String?
    public let actual: String?
    /// The start of the offending bytes, printable.
    public let excerpt: String?

    public enum Location: Hashable, Sendable, CustomStringConvertible {
        case request
        case event(index: Int)
        case body
        case stream
        /// A frame of the progress socket (its count: after the last frame).
        case progress(frame: Int)

        public var description: String {
            switch self {
            case .progress(let frame): "progress frame \(frame)"
            case .request: "request"
            case .event(let index): "event \(index)"
            case .body: "body"
            case .stream: "stream"
            }
        }

        public var eventIndex: Int? {
            if case .event(let index) = self { return index }
            return nil
        }
    }
}

/// All findings of one validation, and what was validated.
public struct ValidationReport: Sendable {
    public let surface: String
    public let dialect: String
    /// Every finding, in rule order, then position.
    public let findings: [Finding]
    /// The rules that ran (not switched off), with their levels.
    public let rulesChecked: [Rule]
    public let eventCount: Int

    public var errorCount: Int { findings.count { $0.level == .must } }
    public var warningCount: Int { findings.count { $0.level == .should } }
    public var infoCount: Int { findings.count { $0.level == .info } }

    /// Whether the response conforms: no error, and under `strict` no warning either.
    public func passes(strict: Bool) -> Bool {
        errorCount == 0 && (!strict || warningCount == 0)
    }
}
