import Reports

/// The few lines printed when a run ends, and its exit status.
enum RunSummary {
    static func text(_ report: RunReport, reportFolder: String) -> String {
        var counts: [Verdict: Int] = [:]
        for result in report.results { counts[result.verdict, default: 0] += 1 }
        var lines = ["\(report.results.count) scenarios against \(report.client.name) in \(String(format: "%.1f", report.duration)) s: " +
            Verdict.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")]
        let bad = report.results.filter { $0.verdict == .fail || $0.verdict == .error || $0.verdict == .nonStrict }
        for result in bad.prefix(10) {
            let why = result.violations.first.map { "\($0.ruleID) \($0.observed.prefix(120))" } ?? result.reason ?? ""
            lines.append("  \(result.verdict.rawValue.uppercased()) \(result.id): \(why)")
            lines.append("    \(result.reproduction)")
        }
        if bad.count > 10 { lines.append("  and \(bad.count - 10) more") }
        lines.append("reports: \(reportFolder)/run.json")
        return lines.joined(separator: "\n")
    }

    static func exitStatus(_ results: [ScenarioResult], strict: Bool) -> Int32 {
        if results.contains(where: { $0.verdict == .error }) { return 2 }
        if results.contains(where: { $0.verdict == .fail || (strict && $0.verdict == .nonStrict) }) { return 1 }
        return 0
    }
}
