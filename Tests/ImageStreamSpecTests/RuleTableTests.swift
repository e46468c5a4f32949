import ImageStreamSpec
import Testing

/// Every rule, shown conformant and violated. The case names read as the rule's specification.
@Suite("Rules, by ID: conformant and violating examples")
struct RuleTableTests {
    static let cases = ImagesRuleCases.all + ResponsesRuleCases.all + DialectRuleCases.all + ProgressRuleCases.all

    @Test("Each example is judged as its rule says", arguments: cases)
    func example(_ example: RuleCase) throws {
        let report = try example.run()
        let found = report.findings.filter { $0.ruleID == example.rule }
        if example.violates {
            #expect(!found.isEmpty, "\(example.rule) found nothing; findings: \(report.findings.map { "\($0.ruleID): \($0.message)" })")
            for finding in found {
                #expect(finding.source.isEmpty == false)
                let pointsAtFrame = if case .progress = finding.location { true } else { false }
                #expect(finding.byteRange != nil || finding.location == .request || example.responseIsEmpty || pointsAtFrame, "\(finding.ruleID) points at no bytes")
            }
        } else {
            #expect(found.isEmpty, "\(example.rule) reported: \(found.map(\.message))")
        }
    }

    @Test("The conformant baselines have no finding at all", arguments: Self.cases.filter { !$0.violates && ($0.name.hasPrefix("page:") || $0.name.hasPrefix("live:") || $0.rule == "RESP-027") || $0.name == "previews then the final image" || $0.name == "response.created first" })
    func baselinesAreClean(_ example: RuleCase) throws {
        let report = try example.run()
        #expect(report.findings.filter { $0.level != .info }.isEmpty, "\(report.findings.map { "\($0.ruleID): \($0.message)" })")
    }

    @Test("Every rule in force anywhere has a conformant and a violating example")
    func everyRuleIsSpecified() throws {
        let catalog = try Fixtures.catalog()
        var inForce: Set<String> = []
        for dialect in catalog.dialectIDs {
            for surface in catalog.surfaces(ofDialect: dialect) {
                for rule in try catalog.resolve(surface: surface, dialect: dialect).rules where rule.level != .off {
                    inForce.insert(rule.id)
                }
            }
        }
        let violated = Set(Self.cases.filter(\.violates).map(\.rule))
        let conformant = Set(Self.cases.filter { !$0.violates }.map(\.rule))
        #expect(inForce.subtracting(violated).sorted() == [], "rules without a violating example")
        #expect(inForce.subtracting(conformant).sorted() == [], "rules without a conformant example")
        #expect(violated.union(conformant).subtracting(inForce).sorted() == [], "examples for rules that do not exist")
    }
}
