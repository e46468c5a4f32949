import Reports
import Testing

@Suite("Exit status: 0 passed, 1 failed, 2 the harness failed (and 2 wins)")
struct ExitPolicyTests {
    @Test("The status follows the worst verdict", arguments: [
        ([Verdict](), false, ExitPolicy.Outcome.passed),
        ([.pass, .skipped], false, .passed),
        ([.pass, .skipped], true, .passed),
        ([.pass, .nonStrict], false, .passed),
        ([.pass, .nonStrict], true, .failed),
        ([.pass, .fail], false, .failed),
        ([.fail, .nonStrict, .skipped], true, .failed),
        ([.pass, .error], false, .harnessError),
        ([.fail, .error], false, .harnessError),
        ([.error, .fail, .nonStrict], true, .harnessError),
    ])
    func outcome(verdicts: [Verdict], strict: Bool, expected: ExitPolicy.Outcome) {
        let results = verdicts.enumerated().map { Fixtures.result("s\($0.offset)@x", verdict: $0.element) }
        #expect(ExitPolicy.outcome(of: results, strict: strict) == expected)
    }

    @Test("Outcomes are the process exit statuses", arguments: zip(ExitPolicy.Outcome.allCases, [Int32(0), 1, 2]))
    func statuses(outcome: ExitPolicy.Outcome, status: Int32) {
        #expect(outcome.rawValue == status)
    }
}
