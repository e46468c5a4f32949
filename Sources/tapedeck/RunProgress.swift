import Foundation
import Reports

/// Progress while a suite runs: a bar redrawn in place on a terminal, plain lines in CI (a
/// line for every scenario that did not pass, and a count every 100).
final class RunProgress: @unchecked Sendable {
    private let total: Int
    private let onTerminal: Bool
    private let lock = NSLock()
    private var counts: [Verdict: Int] = [:]
    private var done = 0

    init(total: Int, onTerminal: Bool) {
        self.total = total
        self.onTerminal = onTerminal
    }

    func record(_ result: ScenarioResult) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        counts[result.verdict, default: 0] += 1
        if onTerminal {
            if result.verdict != .pass, result.verdict != .skipped {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(result.verdict.rawValue.uppercased()) \(result.id)\n".utf8))
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(bar())".utf8))
        } else {
            if result.verdict != .pass, result.verdict != .skipped {
                let rule = result.violations.first.map { " \($0.ruleID)" } ?? result.reason.map { " \($0)" } ?? ""
                FileHandle.standardError.write(Data("\(result.verdict.rawValue.uppercased()) \(result.id)\(rule)\n".utf8))
            }
            if done % 100 == 0 || done == total {
                FileHandle.standardError.write(Data("\(done)/\(total) \(tally())\n".utf8))
            }
        }
    }

    func finish() {
        if onTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K\(bar())\n".utf8)) }
    }

    private func bar() -> String {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)  \(tally())"
    }

    private func tally() -> String {
        Verdict.allCases.compactMap { verdict in counts[verdict].map { "\(verdict.rawValue) \($0)" } }.joined(separator: "  ")
    }
}
