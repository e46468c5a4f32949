import Foundation
import Reports
import Testing

@Suite("JUnit XML: one testcase per scenario, the verdict as failure, error or skipped")
struct JUnitWriterTests {
    static func parse(_ report: RunReport, strict: Bool = false) throws -> ParsedXML {
        let bytes = try JUnitWriter(strict: strict, hostname: "ci-runner").render(report)
        return try #require(ParsedXML(bytes), "the report is not well-formed XML")
    }

    struct VerdictRow: Sendable, CustomTestStringConvertible {
        let verdict: Verdict
        let strict: Bool
        /// The outcome element, or nil for a passing case.
        let element: String?
        let type: String?
        let messagePrefix: String?
        var testDescription: String { "\(verdict.rawValue)\(strict ? " under --strict" : "")" }
    }

    @Test("Each verdict becomes the JUnit outcome the policy names", arguments: [
        VerdictRow(verdict: .pass, strict: false, element: nil, type: nil, messagePrefix: nil),
        VerdictRow(verdict: .pass, strict: true, element: nil, type: nil, messagePrefix: nil),
        VerdictRow(verdict: .fail, strict: false, element: "failure", type: "CLIENT-004", messagePrefix: "CLIENT-004: When the response ends"),
        VerdictRow(verdict: .nonStrict, strict: false, element: nil, type: nil, messagePrefix: nil),
        VerdictRow(verdict: .nonStrict, strict: true, element: "failure", type: "SHOULD", messagePrefix: "CLIENT-006: The usage"),
        VerdictRow(verdict: .error, strict: false, element: "error", type: "harness", messagePrefix: "the client could not be started"),
        VerdictRow(verdict: .skipped, strict: false, element: "skipped", type: nil, messagePrefix: "needs capability images.edit"),
    ])
    func verdicts(row: VerdictRow) throws {
        let xml = try Self.parse(Fixtures.report([Fixtures.result("one@chunking=adversarial", verdict: row.verdict)]), strict: row.strict)
        let testcase = try #require(xml.first("testcase"))
        #expect(testcase.attributes["name"] == "one@chunking=adversarial")
        #expect(testcase.attributes["classname"] == "images.generate.adversarial")
        #expect(testcase.attributes["time"] == "0.250")
        #expect(testcase.attributes["file"] == "Cassettes/one@chunking=adversarial.cassette.json")
        let outcomes = xml.elements.filter { ["failure", "error", "skipped"].contains($0.name) }
        #expect(outcomes.map(\.name) == (row.element.map { [$0] } ?? []))
        if let outcome = outcomes.first {
            #expect(outcome.attributes["type"] == row.type)
            #expect(outcome.attributes["message"]?.hasPrefix(row.messagePrefix ?? "") == true, "message: \(outcome.attributes["message"] ?? "none")")
        }
        let suite = try #require(xml.first("testsuite"))
        #expect(suite.attributes["failures"] == (row.element == "failure" ? "1" : "0"))
        #expect(suite.attributes["errors"] == (row.element == "error" ? "1" : "0"))
        #expect(suite.attributes["skipped"] == (row.element == "skipped" ? "1" : "0"))
    }

    @Test("A failure's text gives every violation's expected and observed, the seed and the reproduction")
    func failureText() throws {
        let xml = try Self.parse(Fixtures.report([Fixtures.result("broken@chunking=adversarial", verdict: .fail, seed: 42)]))
        let failure = try #require(xml.first("failure"))
        for line in ["CLIENT-006 SHOULD: The usage", "expected: total_tokens 120", "observed: total_tokens 0",
                     "CLIENT-004 MUST: When the response", "expected: an error", "observed: exit 0, final-0.png written",
                     "seed: 42", "reproduce: tapedeck run --only 'broken@chunking=adversarial' --seed 42"] {
            #expect(failure.text.contains(line), "failure text lacks \(line)")
        }
    }

    @Test("Suites are the groups (surface.strategy) with their counts; the root sums them")
    func suitesAndCounts() throws {
        let xml = try Self.parse(Fixtures.everyVerdict)
        let suites = xml.all("testsuite")
        #expect(suites.map { $0.attributes["name"] } == ["images.generate.adversarial", "responses.adversarial"])
        #expect(suites.map { $0.attributes["id"] } == ["0", "1"])
        #expect(suites.map { $0.attributes["package"] } == ["images.generate.adversarial", "responses.adversarial"])
        #expect(suites.map { $0.attributes["tests"] } == ["3", "2"])
        #expect(suites.allSatisfy { $0.attributes["hostname"] == "ci-runner" && $0.attributes["timestamp"] == "2026-11-22T10:00:00" })
        let root = try #require(xml.first("testsuites"))
        #expect(root.attributes["name"] == "tapedeck 0.1.0: openai-python")
        #expect(root.attributes["tests"] == "5")
        #expect(root.attributes["failures"] == "1")
        #expect(root.attributes["errors"] == "1")
        #expect(root.attributes["skipped"] == "1")
        #expect(root.attributes["time"] == "12.500")
    }

    @Test("The suite's system-out has each scenario's seed, reproduction and wire; system-err the client's log")
    func perScenarioOutput() throws {
        var quiet = Fixtures.result("quiet@chunking=adversarial", verdict: .pass, seed: 3)
        quiet.wireExcerpt = "data: {\"type\":\"image_generation.completed\"}\\n\\n"
        let noisy = Fixtures.result("noisy@chunking=adversarial", verdict: .nonStrict, seed: 9, log: "Traceback: KeyError 'usage'")
        let xml = try Self.parse(Fixtures.report([quiet, noisy]))
        let out = try #require(xml.all("system-out").first { $0.path == "/testsuites/testsuite/system-out" }).text
        for text in ["== quiet@chunking=adversarial (pass)", "seed: 3", "reproduce: tapedeck run --only 'quiet@chunking=adversarial' --seed 3",
                     "wire:\ndata: {\"type\":\"image_generation.completed\"}\\n\\n",
                     "== noisy@chunking=adversarial (non-strict)", "passed, but broke a SHOULD", "CLIENT-006 SHOULD"] {
            #expect(out.contains(text), "system-out lacks \(text)")
        }
        let err = try #require(xml.first("system-err")).text
        #expect(err == "== noisy@chunking=adversarial\nTraceback: KeyError 'usage'\n")
    }

    @Test("Suite properties carry what the cases share")
    func properties() throws {
        let xml = try Self.parse(Fixtures.everyVerdict)
        let properties = Dictionary(xml.all("property").prefix { _ in true }.map { ($0.attributes["name"]!, $0.attributes["value"]!) }, uniquingKeysWith: { first, _ in first })
        #expect(properties["tapedeck.client"] == "openai-python")
        #expect(properties["tapedeck.client.version"] == "2.8.0")
        #expect(properties["tapedeck.selection"] == "--chunking adversarial")
        #expect(properties["tapedeck.surface"] == "images.generate")
        #expect(properties["tapedeck.strategy"] == "adversarial")
    }

    @Test("Times are plain decimals; impossible durations become 0", arguments: [
        (0.25, "0.250"), (1234.5678, "1234.568"), (-1, "0.000"), (Double.nan, "0.000"), (Double.infinity, "0.000"), (1e-9, "0.000"),
    ])
    func times(duration: Double, expected: String) throws {
        let xml = try Self.parse(Fixtures.report([Fixtures.result("t@x", verdict: .pass, duration: duration)]))
        #expect(xml.first("testcase")?.attributes["time"] == expected)
    }

    @Test("The start time is written in UTC without zone or fractions", arguments: [
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00"),
        ("2026-11-22T10:00:00.123Z", "2026-11-22T10:00:00"),
        ("2026-11-22T12:30:05+02:00", "2026-11-22T10:30:05"),
        ("2026-11-22T10:00:00", "2026-11-22T10:00:00"),
        ("yesterday", "1970-01-01T00:00:00"),
    ])
    func timestamps(startedAt: String, expected: String) throws {
        let xml = try Self.parse(Fixtures.report([Fixtures.result("t@x", verdict: .pass)], startedAt: startedAt))
        #expect(xml.first("testsuite")?.attributes["timestamp"] == expected)
    }

    @Test("Writing to a file creates its folder, leaves no temporary file, and says why it cannot write")
    func writeFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-junit-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("Reports/junit.xml").path
        let writer = JUnitWriter(hostname: "h")
        try writer.write(Fixtures.everyVerdict, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("Reports").path) == ["junit.xml"])
        #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == (try writer.render(Fixtures.everyVerdict)))
        #expect {
            try writer.write(Fixtures.everyVerdict, to: "/proc/tapedeck/junit.xml")
        } throws: { error in
            "\(error)".hasPrefix("cannot write the JUnit report to '/proc/tapedeck/junit.xml': ") && "\(error)".hasSuffix("; choose a writable path")
        }
    }
}
