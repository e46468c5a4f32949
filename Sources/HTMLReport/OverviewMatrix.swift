import Reports

/// The overview at the top of the page: one row per cassette (or wire case), one column per
/// chunking strategy, and in each cell one coloured square per scenario (its faults and
/// rewrites in its title), each a link to the scenario. A red square in a green field is
/// found at a glance, as in Autobahn's report.
struct OverviewMatrix {
    var strategies: [String]
    var rows: [OverviewRow]

    init(_ results: [ScenarioResult], anchors: [String: String]) {
        var strategies: [String] = []
        var sources: [String] = []
        var surfaces: [String: String] = [:]
        var cells: [String: [String: [OverviewSquare]]] = [:]
        for result in results {
            if !strategies.contains(result.strategy) { strategies.append(result.strategy) }
            if surfaces[result.source] == nil {
                sources.append(result.source)
                surfaces[result.source] = result.surface
            }
            let square = OverviewSquare(
                verdict: result.verdict.rawValue, link: FailureCauses.link(to: result.id, anchors: anchors),
                title: "\(result.verdict.rawValue): \(result.id)")
            cells[result.source, default: [:]][result.strategy, default: []].append(square)
        }
        // Gentlest first: as delivered, as recorded, then the cuts; others in order of appearance.
        let order = ["whole", "recorded", "adversarial", "random", "bytes", "fixed"]
        strategies = strategies.enumerated().sorted { a, b in
            let (left, right) = (order.firstIndex(of: a.element) ?? order.count, order.firstIndex(of: b.element) ?? order.count)
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
        self.strategies = strategies
        rows = sources.map { source in
            let cellsOfRow = strategies.map { OverviewCell(squares: cells[source]?[$0] ?? []) }
            let failing = cellsOfRow.reduce(0) { $0 + $1.squares.filter { $0.verdict != "pass" && $0.verdict != "skipped" }.count }
            return OverviewRow(source: source, surface: surfaces[source] ?? "", failing: failing, cells: cellsOfRow)
        }
    }
}

struct OverviewRow {
    var source: String
    var surface: String
    /// Scenarios of this row that failed, broke a SHOULD or could not run (skips not counted).
    var failing: Int
    var cells: [OverviewCell]
}

struct OverviewCell {
    var squares: [OverviewSquare]
}

struct OverviewSquare {
    var verdict: String
    var link: String
    var title: String
}
