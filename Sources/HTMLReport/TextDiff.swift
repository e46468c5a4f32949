/// Expected against observed, line by line, as the report shows a violation.
struct DiffLine {
    /// `same`, `expected` (only expected) or `observed` (only observed).
    var kind: String
    var marker: String
    var text: String
}

enum TextDiff {
    /// The lines of both texts in order: common lines once, the others marked by the side
    /// they come from (a longest-common-subsequence diff, as the standard library computes it).
    static func lines(expected: String, observed: String) -> [DiffLine] {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = observed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let difference = new.difference(from: old)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var result: [DiffLine] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                result.append(DiffLine(kind: "expected", marker: "-", text: old[i]))
                i += 1
            } else if j < new.count, inserted.contains(j) {
                result.append(DiffLine(kind: "observed", marker: "+", text: new[j]))
                j += 1
            } else {
                if j < new.count { result.append(DiffLine(kind: "same", marker: " ", text: new[j])) }
                i += 1
                j += 1
            }
        }
        return result
    }
}
