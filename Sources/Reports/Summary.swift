/// The short summary printed when a run (or a merge) ends: totals per verdict and per surface,
/// the scenarios that count against the run with their first rule and the command that
/// reproduces each, and the exit status with its reason. Plain text, no colour, so it reads the
/// same in a terminal and in a CI log.
public struct Summary: Sendable {
    public var strict: Bool
    /// How many scenarios to list before `… and N more`.
    public var listLimit: Int

    public init(strict: Bool = false, listLimit: Int = 10) {
        self.strict = strict
        self.listLimit = listLimit
    }

    public func render(_ report: RunReport) -> String {
        let results = report.results
        let counts = VerdictCounts(results)
        var lines: [String] = []
        let client = [report.client.name, report.client.version].compactMap { $0 }.joined(separator: " ")
        lines.append("\(results.count) scenario\(results.count == 1 ? "" : "s") in \(JUnitFormatting.seconds(report.duration)) s, client \(client) (\(report.client.mode))")
        lines.append("  \(counts.text)")

        let surfaces = Dictionary(grouping: results, by: \.surface)
        if !surfaces.isEmpty {
            lines.append("")
            let width = max(7, surfaces.keys.map(\.count).max() ?? 0)
            lines.append("  " + "surface".padding(width) + Verdict.allCases.map { "  " + $0.rawValue }.joined())
            for surface in surfaces.keys.sorted() {
                let perSurface = VerdictCounts(surfaces[surface]!)
                let cells = Verdict.allCases.map { "  " + String(perSurface[$0]).padding($0.rawValue.count, right: true) }
                lines.append("  " + surface.padding(width) + cells.joined())
            }
        }

        // Harness errors first: until they are fixed, the other verdicts cannot be trusted.
        let counted = results.filter { ExitPolicy.counts($0, strict: strict) }.enumerated()
            .sorted { (Self.listOrder($0.element.verdict), $0.offset) < (Self.listOrder($1.element.verdict), $1.offset) }
            .map(\.element)
        if !counted.isEmpty {
            lines.append("")
            lines.append("Not passed:")
            for result in counted.prefix(listLimit) {
                lines.append("  \(result.verdict.rawValue)  \(result.id)  \(Self.firstRule(of: result))")
                lines.append("    \(result.reproduction)")
            }
            if counted.count > listLimit { lines.append("  … and \(counted.count - listLimit) more") }
            // Many failures come from few causes: the list above shows examples, this all of them.
            let causes = FailureCause.grouped(counted)
            if counted.count > 1 {
                lines.append("")
                lines.append("By cause (first rule broken, under the scenario's faults and rewrites):")
                let width = String(causes.first?.results.count ?? 0).count
                for (cause, members) in causes.prefix(listLimit) {
                    lines.append("  " + String(members.count).padding(width, right: true) + "  \(cause.name)")
                }
                if causes.count > listLimit { lines.append("  … and \(causes.count - listLimit) more causes") }
            }
        }

        lines.append("")
        lines.append(Self.conclusion(ExitPolicy.outcome(of: results, strict: strict), counts: counts, strict: strict))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func listOrder(_ verdict: Verdict) -> Int {
        switch verdict {
        case .error: 0
        case .fail: 1
        case .nonStrict: 2
        case .pass, .skipped: 3
        }
    }

    /// The first rule broken (a MUST before a SHOULD), or why the scenario errored.
    static func firstRule(of result: ScenarioResult) -> String {
        if result.verdict == .error { return result.reason ?? "harness error" }
        let first = result.violations.first { $0.level == "MUST" } ?? result.violations.first
        return first.map { "\($0.ruleID): \($0.statement)" } ?? "no violation recorded"
    }

    static func conclusion(_ outcome: ExitPolicy.Outcome, counts: VerdictCounts, strict: Bool) -> String {
        switch outcome {
        case .passed:
            let lenient = counts[.nonStrict] > 0 ? "; \(counts[.nonStrict]) broke only a SHOULD (an error under --strict)" : ""
            return "Result: passed (exit 0)\(lenient)."
        case .failed:
            let shoulds = strict && counts[.nonStrict] > 0 ? " and \(counts[.nonStrict]) broke a SHOULD under --strict" : ""
            return "Result: failed (exit 1): \(counts[.fail]) broke a MUST\(shoulds)."
        case .harnessError:
            return "Result: harness error (exit 2): \(counts[.error]) scenario\(counts[.error] == 1 ? "" : "s") could not run, so the verdict cannot be trusted; see their reasons."
        }
    }
}

extension String {
    /// Pads with spaces to `width` characters, on the right (or on the left to right-align).
    func padding(_ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - count))
        return right ? fill + self : self + fill
    }
}
