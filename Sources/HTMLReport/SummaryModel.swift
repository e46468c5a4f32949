import Reports

/// Verdict counts, in total and per value of one dimension (surface, dialect, strategy, client).
/// Stored properties only: the template reads values by reflection, which sees no computed ones.
struct VerdictCounts {
    var pass = 0
    var fail = 0
    var nonStrict = 0
    var error = 0
    var skipped = 0
    var total = 0

    mutating func add(_ verdict: Verdict) {
        total += 1
        switch verdict {
        case .pass: pass += 1
        case .fail: fail += 1
        case .nonStrict: nonStrict += 1
        case .error: error += 1
        case .skipped: skipped += 1
        }
    }
}

struct DimensionRow {
    var value: String
    var counts: VerdictCounts
}

struct Dimension {
    /// The scenario attribute it filters on: `surface`, `dialect`, `strategy`, `client`.
    var key: String
    var title: String
    var rows: [DimensionRow]

    /// One row per value, in order of first appearance.
    static func of(_ key: String, title: String, _ results: [ScenarioResult], value: (ScenarioResult) -> String) -> Dimension {
        var order: [String] = []
        var counts: [String: VerdictCounts] = [:]
        for result in results {
            let name = value(result)
            if counts[name] == nil { order.append(name) }
            counts[name, default: VerdictCounts()].add(result.verdict)
        }
        return Dimension(key: key, title: title, rows: order.map { DimensionRow(value: $0, counts: counts[$0]!) })
    }
}
