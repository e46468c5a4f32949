import Foundation
import ImageStreamSpec

/// Findings for people: grouped by rule, worst first, with where, what and why.
enum ValidationText {
    static func render(_ reports: [FileReport], strict: Bool) -> String {
        var out = ""
        for file in reports {
            let report = file.report
            let verdict = report.passes(strict: strict) ? "conforms" : "does not conform"
            out += "\(file.path): \(verdict) — \(count(report.errorCount, "error")), \(count(report.warningCount, "warning")), \(count(report.infoCount, "note"))\n"
            out += "  surface \(report.surface) (\(file.surfaceReason)), dialect \(report.dialect), \(count(report.eventCount, "event")), \(count(report.rulesChecked.count, "rule")) checked\n"
            let byRule = Dictionary(grouping: report.findings, by: \.ruleID)
            let rules = byRule.keys.sorted { lhs, rhs in
                let (left, right) = (byRule[lhs]![0].level, byRule[rhs]![0].level)
                return left != right ? left > right : lhs < rhs
            }
            for ruleID in rules {
                let findings = byRule[ruleID]!
                let first = findings[0]
                out += "\n  \(ruleID) \(first.level.severity): \(first.statement)\n"
                out += "    source: \(first.source)\n"
                for finding in findings.prefix(20) {
                    out += "    - \(place(finding)): \(finding.message)\n"
                    if finding.expected != nil || finding.actual != nil {
                        out += "      expected \(finding.expected ?? "—"), found \(finding.actual ?? "—")\n"
                    }
                    if let excerpt = finding.excerpt {
                        out += "      | \(excerpt)\n"
                    }
                }
                if findings.count > 20 { out += "    … and \(findings.count - 20) more\n" }
            }
            out += "\n"
        }
        return out
    }

    static func place(_ finding: Finding) -> String {
        guard let range = finding.byteRange, finding.location != .request else { return finding.location.description }
        return "\(finding.location), bytes \(range.lowerBound)–\(range.upperBound)"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

/// Findings for machines: one JSON document for all files.
enum ValidationJSON {
    static func render(_ reports: [FileReport], strict: Bool) throws -> String {
        let files: [[String: Any]] = reports.map { file in
            let report = file.report
            return [
                "path": file.path,
                "surface": report.surface,
                "surface_reason": file.surfaceReason,
                "dialect": report.dialect,
                "events": report.eventCount,
                "passed": report.passes(strict: strict),
                "errors": report.errorCount,
                "warnings": report.warningCount,
                "notes": report.infoCount,
                "findings": report.findings.map(object(for:)),
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: ["strict": strict, "files": files], options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func object(for finding: Finding) -> [String: Any] {
        var object: [String: Any] = [
            "rule": finding.ruleID,
            "level": finding.level.rawValue,
            "severity": finding.level.severity,
            "statement": finding.statement,
            "source": finding.source,
            "message": finding.message,
            "location": finding.location.description,
        ]
        if let index = finding.location.eventIndex { object["event_index"] = index }
        if let range = finding.byteRange { object["byte_range"] = [range.lowerBound, range.upperBound] }
        if let expected = finding.expected { object["expected"] = expected }
        if let actual = finding.actual { object["actual"] = actual }
        if let excerpt = finding.excerpt { object["excerpt"] = excerpt }
        return object
    }
}
