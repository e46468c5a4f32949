/// A run's progress in one line, in two forms: a bar redrawn in place for a terminal,
///
///     [#####.....] 512/1575  pass 500  fail 12  non-strict 0  error 0  skipped 0
///
/// and plain lines for CI logs, which keep every line and show no carriage returns, printed
/// only at each tenth of the run (see ``isMilestone(done:total:)``).
public struct ProgressLine: Sendable {
    public var done: Int
    public var total: Int
    public var counts: VerdictCounts

    public init(done: Int, total: Int, counts: VerdictCounts) {
        self.done = done
        self.total = total
        self.counts = counts
    }

    /// `[#####.....]`, `width` cells between the brackets.
    public func bar(width: Int = 20) -> String {
        let cells = max(1, width)
        let filled = total > 0 ? min(cells, done * cells / total) : cells
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]"
    }

    /// The bar and counts, without line control.
    public func text(width: Int = 20) -> String {
        "\(bar(width: width)) \(done)/\(total)  \(counts.text)"
    }

    /// For a terminal: returns to the line's start, draws, and clears what a longer previous
    /// line left behind. Print it without a newline; print a newline when the run ends.
    public func terminalText(width: Int = 20) -> String {
        "\r" + text(width: width) + "\u{1B}[K"
    }

    /// For a CI log: `progress 512/1575 (32%)  pass 500  fail 12 …`, one whole line.
    public var plainText: String {
        let percent = total > 0 ? done * 100 / total : 100
        return "progress \(done)/\(total) (\(percent)%)  \(counts.text)"
    }

    /// Whether `done` is the first count to reach a new tenth of `total` (and the last one), so
    /// a CI log gets about eleven progress lines however long the run.
    public static func isMilestone(done: Int, total: Int) -> Bool {
        guard total > 0, done > 0 else { return done == 0 }
        if done >= total { return true }
        return done * 10 / total != (done - 1) * 10 / total
    }
}
