import Reports
import Testing

@Suite("The end-of-run summary and the progress line")
struct SummaryTests {
    @Test("Counts per verdict and per surface, then what did not pass, then the result")
    func summary() {
        let text = Summary().render(Fixtures.everyVerdict)
        let expectedLines = [
            "5 scenarios in 12.500 s, client openai-python 2.8.0 (command)",
            "  pass 1  fail 1  non-strict 1  error 1  skipped 1",
            "  surface          pass  fail  non-strict  error  skipped",
            "  images.generate     1     0           1      0        1",
            "  responses           0     1           0      1        0",
            "Not passed:",
            "  fail  case-1-fail@chunking=adversarial  CLIENT-004: When the response ends before its final event, the client reports an error.",
            "    tapedeck run --only 'case-1-fail@chunking=adversarial' --seed 7",
            "  error  case-3-error@chunking=adversarial  the client could not be started: /bin/sh: adapter: not found",
            "Result: harness error (exit 2): 1 scenario could not run, so the verdict cannot be trusted; see their reasons.",
        ]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in expectedLines {
            #expect(lines.contains(line), "summary lacks the line \(line)\n\(text)")
        }
        #expect(!text.contains("case-2-non-strict@chunking=adversarial  CLIENT-006"), "non-strict is listed only under --strict")
        #expect(Summary(strict: true).render(Fixtures.everyVerdict).contains("  non-strict  case-2-non-strict@chunking=adversarial  CLIENT-006: The usage"))
    }

    @Test("The list is capped with `and N more`", arguments: [(3, 0), (10, 0), (11, 1), (25, 15)])
    func capped(failures: Int, more: Int) {
        let report = Fixtures.report((0..<failures).map { Fixtures.result("f\($0)@x", verdict: .fail) })
        let text = Summary(listLimit: 10).render(report)
        #expect(text.components(separatedBy: "\n    tapedeck run --only").count - 1 == min(failures, 10))
        #expect(text.contains("… and \(more) more") == (more > 0))
        #expect(text.hasSuffix("Result: failed (exit 1): \(failures) broke a MUST.\n"))
    }

    @Test("Failures are also counted by cause: first rule broken under the faults and rewrites, largest first")
    func causes() {
        func result(_ id: String, scenario: String, faults: [String], rule: Violation = Fixtures.mustBroken) -> ScenarioResult {
            var result = Fixtures.result(id, verdict: .fail, violations: [Fixtures.shouldBroken, rule])
            result.scenario = scenario
            result.faults = faults
            return result
        }
        let crLines = Violation(ruleID: "CLIENT-002", level: "MUST", statement: "The client surfaces every delivered event.", source: "docs", expected: "3 events", observed: "0 events")
        let report = Fixtures.report([
            result("a@x", scenario: "fault=drop-final", faults: ["drop-final"]),
            result("b@x", scenario: "eol=cr", faults: [], rule: crLines),
            result("c@x", scenario: "chunking=random,seed=3,fault=error-event:nested@1", faults: ["error-event:nested@1"]),
            result("d@x", scenario: "shape=live,fault=error-event:flat@-2", faults: ["error-event:flat@-2"]),
            result("e@x", scenario: "chunking=adversarial,seed=1,fault=drop-final", faults: ["drop-final"]),
            result("f@x", scenario: "fault=error-event:nested@1", faults: ["error-event:nested@1"]),
            Fixtures.result("g@x", verdict: .pass),
        ])
        let text = Summary().render(report)
        let section = text.components(separatedBy: "By cause (first rule broken, under the scenario's faults and rewrites):\n")
        #expect(section.count == 2)
        #expect(section.last?.hasPrefix("  3  CLIENT-004 under error-event\n  2  CLIENT-004 under drop-final\n  1  CLIENT-002 under eol=cr\n\nResult:") == true, "\(text)")
        #expect(!Summary().render(Fixtures.report([Fixtures.result("a@x", verdict: .fail)])).contains("By cause"), "one failure is its own cause")
    }

    @Test("Harness errors are listed first, then failures, then broken SHOULDs")
    func order() {
        let report = Fixtures.report([
            Fixtures.result("a@x", verdict: .nonStrict), Fixtures.result("b@x", verdict: .fail),
            Fixtures.result("c@x", verdict: .error), Fixtures.result("d@x", verdict: .fail),
        ])
        let listed = Summary(strict: true).render(report).split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains("@x  ") }
        #expect(listed.map { $0.split(separator: " ")[1] } == ["c@x", "b@x", "d@x", "a@x"])
    }

    @Test("A clean run says it passed, and mentions SHOULDs it let through")
    func passed() {
        #expect(Summary().render(Fixtures.report([Fixtures.result("a@x", verdict: .pass)])).hasSuffix("Result: passed (exit 0).\n"))
        let lenient = Summary().render(Fixtures.report([Fixtures.result("a@x", verdict: .nonStrict)]))
        #expect(lenient.hasSuffix("Result: passed (exit 0); 1 broke only a SHOULD (an error under --strict).\n"))
    }

    static func counts(_ verdicts: [Verdict]) -> VerdictCounts {
        var counts = VerdictCounts()
        verdicts.forEach { counts.add($0) }
        return counts
    }

    @Test("The bar fills in proportion", arguments: [
        (0, 10, "[..........]"), (5, 10, "[#####.....]"), (512, 1575, "[###.......]"), (1575, 1575, "[##########]"), (0, 0, "[##########]"),
    ])
    func bar(done: Int, total: Int, expected: String) {
        #expect(ProgressLine(done: done, total: total, counts: VerdictCounts()).bar(width: 10) == expected)
    }

    @Test("Terminal and plain forms")
    func forms() {
        let line = ProgressLine(done: 512, total: 1575, counts: Self.counts(Array(repeating: .pass, count: 500) + Array(repeating: .fail, count: 12)))
        #expect(line.text(width: 10) == "[###.......] 512/1575  pass 500  fail 12  non-strict 0  error 0  skipped 0")
        #expect(line.terminalText(width: 10) == "\r[###.......] 512/1575  pass 500  fail 12  non-strict 0  error 0  skipped 0\u{1B}[K")
        #expect(line.plainText == "progress 512/1575 (32%)  pass 500  fail 12  non-strict 0  error 0  skipped 0")
    }

    @Test("Plain progress is printed about once per tenth of the run")
    func milestones() {
        for total in [1, 7, 10, 1575] {
            let printed = (1...total).filter { ProgressLine.isMilestone(done: $0, total: total) }
            #expect(printed.count == min(total, 10), "total \(total): \(printed)")
            #expect(printed.last == total)
        }
    }
}
