import Reports
import Testing

@Suite("Both bundled schemas accept what the writer writes, and reject what they must")
struct JUnitSchemaTests {
    /// Parsed once: every test validates against the same two schemas.
    static let validators: [(JUnitSchemaValidator.Bundled, JUnitSchemaValidator)] = {
        do {
            return try JUnitSchemaValidator.bundled(in: Fixtures.schemasFolder)
        } catch {
            fatalError("the bundled schemas do not load: \(error)")
        }
    }()

    static func problems(_ document: [UInt8]) -> [JUnitSchemaValidator.Bundled: [JUnitSchemaValidator.Problem]] {
        Dictionary(uniqueKeysWithValues: validators.map { ($0.0, $0.1.problems(in: document)) })
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        let name: String
        let report: RunReport
        var strict = false
        var testDescription: String { name }
    }

    @Test("Reports of every kind are valid against Jenkins' junit-10 and Ant's JUnit shape", arguments: [
        Accepted(name: "every verdict", report: Fixtures.everyVerdict),
        Accepted(name: "every verdict, strict", report: Fixtures.everyVerdict, strict: true),
        Accepted(name: "odd characters", report: Fixtures.oddCharacters),
        Accepted(name: "an empty run", report: Fixtures.report([])),
        Accepted(name: "1,000 scenarios", report: Fixtures.large(1000)),
        Accepted(name: "an unreadable start time", report: Fixtures.report([Fixtures.result("a@b", verdict: .pass)], startedAt: "soon")),
        Accepted(name: "empty names and texts", report: RunReport(tool: "", startedAt: "", duration: 0, client: ClientInfo(mode: "", name: "", capabilities: []), selection: "", results: [
            ScenarioResult(id: "", surface: "", dialect: "", strategy: "", scenario: "", source: "", file: "", verdict: .fail, duration: 0, reproduction: ""),
        ])),
    ])
    func accepted(example: Accepted) throws {
        let document = try JUnitWriter(strict: example.strict, hostname: "").render(example.report)
        for (schema, problems) in Self.problems(document) {
            #expect(problems.isEmpty, "\(schema.title) rejects \(example.name): \(problems.prefix(3))")
        }
    }

    static let validSuite = """
        <testsuites><testsuite name="s" tests="1" failures="0" errors="0" time="1.0" timestamp="2026-01-01T00:00:00" hostname="h" id="0" package="s">\
        <properties/><testcase name="c" classname="s" time="1.0"/><system-out/><system-err/></testsuite></testsuites>
        """

    struct Broken: Sendable, CustomTestStringConvertible {
        let name: String
        let document: String
        let rejectedBy: Set<JUnitSchemaValidator.Bundled>
        var testDescription: String { name }
    }

    @Test("Broken documents are rejected, which proves the validator is live", arguments: [
        Broken(name: "not well-formed", document: "<testsuites><testsuite>", rejectedBy: [.jenkins, .ant]),
        Broken(name: "a suite without tests", document: validSuite.replacingOccurrences(of: " tests=\"1\"", with: ""), rejectedBy: [.jenkins, .ant]),
        Broken(name: "an unknown root", document: "<results/>", rejectedBy: [.jenkins, .ant]),
        Broken(name: "a case without a name", document: validSuite.replacingOccurrences(of: "name=\"c\" ", with: ""), rejectedBy: [.jenkins, .ant]),
        Broken(name: "an unknown element in a case", document: validSuite.replacingOccurrences(of: "time=\"1.0\"/>", with: "time=\"1.0\"><verdict/></testcase>"), rejectedBy: [.jenkins, .ant]),
        Broken(name: "a time with an exponent", document: validSuite.replacingOccurrences(of: "time=\"1.0\" timestamp", with: "time=\"1e3\" timestamp"), rejectedBy: [.jenkins, .ant]),
        Broken(name: "a suite without hostname", document: validSuite.replacingOccurrences(of: " hostname=\"h\"", with: ""), rejectedBy: [.ant]),
        Broken(name: "a timestamp with a zone", document: validSuite.replacingOccurrences(of: "00:00:00\"", with: "00:00:00Z\""), rejectedBy: [.ant]),
        Broken(name: "a suite without system-err", document: validSuite.replacingOccurrences(of: "<system-err/>", with: ""), rejectedBy: [.ant]),
        Broken(name: "two failures in a case", document: validSuite.replacingOccurrences(of: "time=\"1.0\"/>", with: "time=\"1.0\"><failure type=\"a\"/><failure type=\"b\"/></testcase>"), rejectedBy: [.ant]),
        Broken(name: "a failure without type", document: validSuite.replacingOccurrences(of: "time=\"1.0\"/>", with: "time=\"1.0\"><failure message=\"m\"/></testcase>"), rejectedBy: [.ant]),
        Broken(name: "output inside a case", document: validSuite.replacingOccurrences(of: "time=\"1.0\"/>", with: "time=\"1.0\"><system-out>x</system-out></testcase>"), rejectedBy: [.ant]),
        Broken(name: "a suite without failures", document: validSuite.replacingOccurrences(of: " failures=\"0\"", with: ""), rejectedBy: [.jenkins, .ant]),
    ])
    func rejected(broken: Broken) {
        let problems = Self.problems(Array(broken.document.utf8))
        for (schema, found) in problems {
            if broken.rejectedBy.contains(schema) {
                #expect(!found.isEmpty, "\(schema.title) accepts \(broken.name)")
            } else {
                #expect(found.isEmpty, "\(schema.title) rejects \(broken.name): \(found)")
            }
        }
    }

    @Test("Problems name the line and what is wrong")
    func problemText() throws {
        let document = "<testsuites>\n<testsuite name=\"s\"/>\n</testsuites>"
        let problems = Self.validators.first { $0.0 == .ant }!.1.problems(in: Array(document.utf8))
        let first = try #require(problems.first)
        #expect(first.line == 2)
        #expect(first.description.hasPrefix("line 2: "))
        #expect(first.message.contains("testsuite"))
    }

    @Test("A missing schema folder is an error that says how to point at one")
    func missingSchemas() {
        #expect {
            _ = try JUnitSchemaValidator.bundled(in: "/nonexistent")
        } throws: { error in
            "\(error)".contains("pass --schemas")
        }
    }
}
