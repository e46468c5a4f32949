/// Checks a request and its response against one surface and dialect.
public struct Validator: Sendable {
    public let spec: ResolvedSpec

    public init(spec: ResolvedSpec) {
        self.spec = spec
    }

    /// Streams with more events than this are refused by ``validate(_:eventLimit:)``: the checks
    /// read the events in any order, so every event is held while they run, about 600 bytes
    /// each. A million is far beyond any real stream (a keep-alive a second for a day is 86,400).
    public static let defaultEventLimit = 1_000_000

    /// A stream with more events than the validator was allowed to hold.
    public struct TooManyEvents: Error, CustomStringConvertible {
        public let count: Int
        public let limit: Int
        public var description: String {
            "the stream has \(count) events, more than the \(limit) the checks may hold (about 600 bytes each, so \(count / 1_700) MB); raise the limit (validate --max-events) to check it anyway"
        }
    }

    /// Validates, after counting the stream's events without keeping them: one beyond
    /// `eventLimit` refuses before any memory is spent on them.
    public func validate(_ input: ValidationInput, eventLimit: Int) throws(TooManyEvents) -> ValidationReport {
        if case .stream(let bytes) = input.response {
            let count = ResponseTrace.eventCount(of: bytes)
            if count > eventLimit { throw TooManyEvents(count: count, limit: eventLimit) }
        }
        return validate(input)
    }

    public func validate(_ input: ValidationInput) -> ValidationReport {
        var trace = ResponseTrace(input.response)
        let request = RequestView(input.request, isForm: input.requestIsForm, spec: spec)
        trace.payloads = PayloadChecks.collectPayloads(in: trace, spec: spec, request: request)
        let activeRules = spec.rules.filter { $0.level != .off }
        return ValidationReport(
            surface: spec.surface,
            dialect: spec.dialect,
            findings: findings(of: activeRules, in: CheckContext(spec: spec, trace: trace, request: request, progress: input.progress)),
            rulesChecked: activeRules,
            eventCount: trace.events.count
        )
    }

    /// Only the rules about the request: what a server checks before it answers.
    public func validateRequest(_ request: JSONValue, isForm: Bool = false) -> [Finding] {
        let requestRules = spec.rules.filter { $0.level != .off && Check.requestCheckNames.contains($0.check) }
        let context = CheckContext(spec: spec, trace: ResponseTrace(.body([])), request: RequestView(request, isForm: isForm, spec: spec))
        return findings(of: requestRules, in: context)
    }

    /// Findings listed per rule. A stream that breaks a rule a million times (a keep-alive of
    /// an unknown type every few bytes) says so in one more finding, instead of a million.
    public static let findingsPerRule = 100

    private func findings(of rules: [Rule], in context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules {
            guard let check = Check.named(rule.check) else { continue }
            let violations = check.run(context)
            for violation in violations.prefix(Self.findingsPerRule) {
                findings.append(finding(rule, violation.message, at: violation.location, expected: violation.expected, actual: violation.actual, in: context.trace))
            }
            if violations.count > Self.findingsPerRule {
                let more = violations.count - Self.findingsPerRule
                let next = violations[Self.findingsPerRule]
                findings.append(finding(rule, "and \(more) more finding\(more == 1 ? "" : "s") of this rule, from \(next.location) on (each rule lists its first \(Self.findingsPerRule))", at: next.location, expected: nil, actual: nil, in: context.trace))
            }
        }
        return findings
    }

    private func finding(_ rule: Rule, _ message: String, at location: Finding.Location, expected: String?, actual: String?, in trace: ResponseTrace) -> Finding {
        Finding(
            ruleID: rule.id, level: rule.level, statement: rule.statement, source: rule.source, message: message,
            location: location, byteRange: trace.byteRange(of: location), expected: expected, actual: actual,
            excerpt: trace.excerpt(of: location)
        )
    }
}
