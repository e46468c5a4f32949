@testable import HTMLReport
import Testing

@Suite("Expected against observed")
struct TextDiffTests {
    @Test("common lines once, the others marked by their side, in order", arguments: [
        (expected: "a\nb\nc", observed: "a\nb\nc", diff: ["  a", "  b", "  c"]),
        (expected: "a\nb", observed: "a\nc", diff: ["  a", "- b", "+ c"]),
        (expected: "status 200", observed: "status 500", diff: ["- status 200", "+ status 500"]),
        (expected: "x\ny", observed: "y", diff: ["- x", "  y"]),
        (expected: "", observed: "new", diff: ["- ", "+ new"]),
    ])
    func lines(_ example: (expected: String, observed: String, diff: [String])) {
        let diff = TextDiff.lines(expected: example.expected, observed: example.observed).map { "\($0.marker) \($0.text)" }
        #expect(diff == example.diff)
    }
}
