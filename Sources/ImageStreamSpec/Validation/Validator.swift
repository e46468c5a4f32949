/// Checks a request and its response against one surface and dialect.
public struct Validator: Sendable {
    public let spec: ResolvedSpec

    public init(spec: ResolvedSpec) {
        self.spec = spec
    }

    public func validate(_ input: ValidationInput) -> ValidationReport {
        var trace = ResponseTrace(input.response)
        let request = RequestView(input.request, isForm: input.requestIsForm, spec: spec)
        trace.payloads = PayloadChecks.collectPayloads(in: trace, spec: spec, request: request)
        let activeRules = spec.rules.filter { $0.level != .off }
        return ValidationReport(
            surface: spec.surface,
            dialect: spec.dialect,
            findings: findings(of: activeRules, in: CheckContext(spec: spec, trace: trace, request: request)),
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

    private func findings(of rules: [Rule], in context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules {
            guard let check = Check.named(rule.check) else { continue }
            for violation in check.run(context) {
                findings.append(Finding(
                    ruleID: rule.id,
                    level: rule.level,
                    statement: rule.statement,
                    source: rule.source,
                    message: violation.message,
                    location: violation.location,
                    byteRange: context.trace.byteRange(of: violation.location),
                    expected: violation.expected,
                    actual: violation.actual,
                    excerpt: context.trace.excerpt(of: violation.location)
                ))
            }
        }
        return findings
    }
}
