import Foundation
import Testing

@Suite("tapedeck report merge, tapedeck report check, tapedeck validate --junit")
struct ReportCommandTests {
    static let schemas = TapedeckProcess.repositoryRoot.appendingPathComponent("Reports/schemas").path

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A shard's report as `tapedeck run --json` writes it, with one scenario per verdict given.
    static func shard(_ verdicts: [(id: String, verdict: String)], number: Int, in folder: URL) throws -> String {
        let results = verdicts.map { scenario -> [String: Any] in
            var result: [String: Any] = [
                "id": scenario.id, "surface": "images.generate", "dialect": "openai", "strategy": "bytes",
                "scenario": "chunking=bytes", "faults": [String](), "seed": 1, "source": "c", "file": "Cassettes/c.cassette.json",
                "verdict": scenario.verdict, "duration": 0.5, "violations": [[String: Any]](), "reproduction": "tapedeck run --only \(scenario.id)",
                "wireExcerpt": "data: x\\n", "clientLog": "",
            ]
            if scenario.verdict == "fail" {
                result["violations"] = [["ruleID": "CLIENT-005", "level": "MUST", "statement": "No truncated image is complete.", "source": "contract", "expected": "an error", "observed": "final-0.png"]]
            }
            return result
        }
        let report: [String: Any] = [
            "format": "tapedeck-run/1", "tool": "tapedeck 0.1.0", "startedAt": "2026-11-22T10:00:0\(number)Z", "duration": 3.0,
            "client": ["mode": "reference", "name": "reference", "capabilities": ["images.generate"]],
            "selection": "--shard \(number)/2", "results": results,
        ]
        let path = folder.appendingPathComponent("shard-\(number).json").path
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("merge joins shards, writes JSON, JUnit and the HTML page, prints the summary, and exits with the run's status")
    func merge() throws {
        let folder = try Self.temporaryFolder()
        let first = try Self.shard([("b@bytes", "pass"), ("d@bytes", "fail")], number: 1, in: folder)
        let second = try Self.shard([("a@bytes", "pass"), ("c@bytes", "skipped")], number: 2, in: folder)
        let out = folder.appendingPathComponent("Reports/run.json").path
        let junit = folder.appendingPathComponent("Reports/junit.xml").path
        let result = try TapedeckProcess.run(["report", "merge", first, second, "--out", out, "--junit", junit])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("  pass 2  fail 1  non-strict 0  error 0  skipped 1"))
        #expect(result.standardOutput.contains("  fail  d@bytes  CLIENT-005: No truncated image is complete."))

        let merged = try TapedeckProcess.object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self))
        #expect((merged["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["a@bytes", "b@bytes", "c@bytes", "d@bytes"])
        #expect(merged["selection"] as? String == "--shard 1/2; --shard 2/2")
        #expect(merged["duration"] as? Double == 4)

        // The merged page, beside the merged JSON, counts every shard's scenarios.
        let page = try String(contentsOfFile: folder.appendingPathComponent("Reports/index.html").path, encoding: .utf8)
        #expect(page.contains("id=\"total-all\">4<"))
        #expect(page.contains("d@bytes"))

        let check = try TapedeckProcess.run(["report", "check", "--schemas", Self.schemas, junit])
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        #expect(check.outputLines.count == 2)
        #expect(check.outputLines.allSatisfy { $0.contains(": valid against") })
    }

    @Test("merge refuses a scenario in two shards, by name, with exit 2")
    func mergeDuplicate() throws {
        let folder = try Self.temporaryFolder()
        let first = try Self.shard([("same@bytes", "pass")], number: 1, in: folder)
        let second = try Self.shard([("same@bytes", "pass")], number: 2, in: folder)
        let result = try TapedeckProcess.run(["report", "merge", first, second, "--out", folder.appendingPathComponent("run.json").path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("scenario `same@bytes` appears in more than one shard"))
    }

    @Test("check reports each schema's problems with their lines, exit 1; an unreadable file exits 2")
    func checkInvalid() throws {
        let folder = try Self.temporaryFolder()
        let path = folder.appendingPathComponent("bad.xml").path
        try Data("<testsuites>\n<testsuite name=\"s\" tests=\"1\"/>\n</testsuites>\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try TapedeckProcess.run(["report", "check", "--schemas", Self.schemas, path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("invalid against Ant JUnit (Windy Road) (ant-junit.xsd)"))
        #expect(result.standardOutput.contains("  line 2: "))
        let missing = try TapedeckProcess.run(["report", "check", "--schemas", Self.schemas, "/nonexistent.xml"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("cannot read '/nonexistent.xml'"))
    }

    @Test("validate --junit writes one test case per file, its findings as the failure, valid against both schemas")
    func validateJUnit() throws {
        let folder = try Self.temporaryFolder()
        let good = ValidateCommandTests.stream("images-generate-partial-2.sse")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = folder.appendingPathComponent("truncated.sse").path
        try Data(bytes.dropLast(500)).write(to: URL(fileURLWithPath: truncated))
        let junit = folder.appendingPathComponent("junit.xml").path
        let result = try TapedeckProcess.run(["validate", "--junit", junit, good, truncated])
        #expect(result.status == 1)

        let xml = String(decoding: try Data(contentsOf: URL(fileURLWithPath: junit)), as: UTF8.self)
        #expect(xml.contains("<testsuite name=\"images.generate.recorded\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""))
        #expect(xml.contains("<testcase name=\"\(good)\" classname=\"images.generate.recorded\""))
        #expect(xml.contains("file=\"\(truncated)\""))
        #expect(xml.contains("<failure message=\"IMG-GEN-005: Exactly one image_generation.completed event, and it is the last event.\" type=\"IMG-GEN-005\">"))
        #expect(xml.contains("WIRE-001 MUST: The stream ends after a complete event"))
        #expect(xml.contains("expected: a blank line after the last event"))
        #expect(xml.contains("reproduce: tapedeck validate --surface images.generate --dialect openai \(truncated)"))

        let check = try TapedeckProcess.run(["report", "check", "--schemas", Self.schemas, junit])
        #expect(check.status == 0, "\(check.standardOutput)")
    }

    @Test("validate --junit records a file that cannot be read as an error, and exits 2")
    func validateJUnitError() throws {
        let folder = try Self.temporaryFolder()
        let junit = folder.appendingPathComponent("junit.xml").path
        let result = try TapedeckProcess.run(["validate", "--junit", junit, "/nonexistent.sse"])
        #expect(result.status == 2)
        let xml = String(decoding: try Data(contentsOf: URL(fileURLWithPath: junit)), as: UTF8.self)
        #expect(xml.contains("<error message=\"cannot read &apos;/nonexistent.sse&apos;: no such file\" type=\"harness\">") || xml.contains("<error message=\"cannot read '/nonexistent.sse': no such file\" type=\"harness\">"))
    }
}
