import Foundation
import Reports

/// Progress while a suite runs: a bar redrawn in place on a terminal; in CI, a line for every
/// scenario that did not pass and a progress line at each tenth.
final class RunProgress: @unchecked Sendable {
    private let total: Int
    private let onTerminal: Bool
    private let lock = NSLock()
    private var counts = VerdictCounts()
    private var done = 0

    init(total: Int, onTerminal: Bool) {
        self.total = total
        self.onTerminal = onTerminal
    }

    func record(_ result: ScenarioResult) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        counts.add(result.verdict)
        let line = ProgressLine(done: done, total: total, counts: counts)
        var text = ""
        if result.verdict != .pass, result.verdict != .skipped {
            let why = result.violations.first.map { " \($0.ruleID)" } ?? result.reason.map { " \($0)" } ?? ""
            text += (onTerminal ? "\r\u{1B}[K" : "") + "\(result.verdict.rawValue.uppercased()) \(result.id)\(why)\n"
        }
        if onTerminal {
            text += line.terminalText()
        } else if ProgressLine.isMilestone(done: done, total: total) {
            text += line.plainText + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
