import Foundation
import ImageStreamSpec
import Reports

/// `tapedeck validate --junit`: each validated file as one scenario of a run report, so the
/// same writer (and the same two schemas) serve validation and conformance runs.
///
/// A file's findings at MUST level make it fail, at SHOULD level only non-strict; INFO findings
/// are never failures and stay out of the report. Files are grouped per surface, in a suite
/// named `<surface>.recorded`: they are checked as recorded, not re-delivered.
enum ValidationJUnit {
    /// A file that could not be validated (unreadable, an unknown surface…), with why.
    struct Unvalidated {
        let path: String
        let reason: String
    }

    struct Timed {
        let file: FileReport
        let duration: Double
    }

    static func report(files: [Timed], unvalidated: [Unvalidated], options: ReproductionOptions, startedAt: Date, duration: Double) -> RunReport {
        let validated = files.map { result(for: $0, options: options) }
        let failed = unvalidated.map { problem in
            ScenarioResult(
                id: problem.path, surface: options.surface ?? "unknown", dialect: options.dialect ?? SpecCatalog.defaultDialect,
                strategy: "recorded", scenario: "recorded", source: problem.path, file: problem.path,
                verdict: .error, duration: 0, reason: problem.reason,
                reproduction: options.command(surface: options.surface, dialect: options.dialect, path: problem.path)
            )
        }
        let formatter = ISO8601DateFormatter()
        return RunReport(
            tool: "tapedeck \(TapedeckVersion.current)",
            startedAt: formatter.string(from: startedAt),
            duration: duration,
            client: ClientInfo(mode: "recorded", name: "tapedeck validate", capabilities: []),
            selection: options.selection,
            results: validated + failed
        )
    }

    private static func result(for timed: Timed, options: ReproductionOptions) -> ScenarioResult {
        let report = timed.file.report
        let violations = report.findings.filter { $0.level == .must || $0.level == .should }.map(violation(for:))
        let verdict: Verdict = report.errorCount > 0 ? .fail : report.warningCount > 0 ? .nonStrict : .pass
        return ScenarioResult(
            id: timed.file.path, surface: report.surface, dialect: report.dialect,
            strategy: "recorded", scenario: "recorded", source: timed.file.path, file: timed.file.path,
            verdict: verdict, duration: timed.duration, violations: violations,
            reproduction: options.command(surface: report.surface, dialect: report.dialect, path: timed.file.path),
            wireExcerpt: excerpts(of: report.findings)
        )
    }

    /// The offending bytes the findings quote, each place once, for the report's `system-out`.
    private static func excerpts(of findings: [Finding]) -> String {
        var seen = Set<String>()
        let lines = findings.compactMap { finding in finding.excerpt.map { "\(ValidationText.place(finding)): \($0)" } }
        return lines.filter { seen.insert($0).inserted }.prefix(10).joined(separator: "\n")
    }

    private static func violation(for finding: Finding) -> Violation {
        let found = finding.actual.map { " (found \($0))" } ?? ""
        return Violation(
            ruleID: finding.ruleID, level: finding.level.rawValue, statement: finding.statement, source: finding.source,
            expected: finding.expected ?? "—", observed: "\(ValidationText.place(finding)): \(finding.message)\(found)"
        )
    }

    /// The options a reproduction command repeats.
    struct ReproductionOptions {
        var surface: String?
        var dialect: String?
        var request: String?
        var strict: Bool
        var specs: String?

        var selection: String {
            ([surface.map { "--surface \($0)" }, dialect.map { "--dialect \($0)" }, request.map { "--request \($0)" }, strict ? "--strict" : nil]).compactMap { $0 }.joined(separator: " ")
        }

        func command(surface: String?, dialect: String?, path: String) -> String {
            var words = ["tapedeck", "validate"]
            if let surface { words += ["--surface", surface] }
            if let dialect { words += ["--dialect", dialect] }
            if let request { words += ["--request", request] }
            if let specs { words += ["--specs", specs] }
            if strict { words.append("--strict") }
            words.append(path)
            return words.map(ShellWord.quoted).joined(separator: " ")
        }
    }
}

enum ShellWord {
    /// The word as a POSIX shell reads it back: bare when safe, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%")
        if !word.isEmpty, word.unicodeScalars.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
