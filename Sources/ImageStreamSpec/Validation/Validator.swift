/// Checks a request and its response against one surface and dialect.
public struct Validator: Sendable {
    public let spec: ResolvedSpec

    public init(spec: ResolvedSpec) {
        self.spec = spec
    }

    public func validate(_ input: ValidationInput) -> ValidationReport {
        var trace = ResponseTrace(input.response)
        let request = RequestView(input.request, isResponses: spec.isResponses)
        trace.payloads = PayloadChecks.collectPayloads(in: trace, spec: spec, request: request)
        let context = CheckContext(spec: spec, trace: trace, request: request)
        let activeRules = spec.rules.filter { $0.level != .off }
        var findings: [Finding] = []
        for rule in activeRules {
            guard let check = Check.named(rule.check) else { continue }
            for violation in check.run(context) {
                findings.append(Finding(
                    ruleID: rule.id,
                    level: rule.level,
                    statement: rule.statement,
                    source: rule.source,
                    message: violation.message,
                    location: violation.location,
                    byteRange: trace.byteRange(of: violation.location),
                    expected: violation.expected,
                    actual: violation.actual,
                    excerpt: trace.excerpt(of: violation.location)
                ))
            }
        }
        return ValidationReport(
            surface: spec.surface,
            dialect: spec.dialect,
            findings: findings,
            rulesChecked: activeRules,
            eventCount: trace.events.count
        )
    }
}
