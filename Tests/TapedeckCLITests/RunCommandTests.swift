import Foundation
import Testing

/// `tapedeck run` as CI calls it: exit statuses, reports on disk, list and shard.
@Suite(.serialized)
struct RunCommandTests {
    static let root = TapedeckProcess.repositoryRoot.path
    static let naiveClient = TapedeckProcess.repositoryRoot.appendingPathComponent("Tests/ConformanceTests/Clients/naive_client.py").path

    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "tapedeck-run-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("A passing slice exits 0 and writes run.json and junit.xml, valid against both JUnit schemas")
    func passingSlice() throws {
        let out = Self.temporaryFolder()
        let result = try TapedeckProcess.run(["run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--filter", "^(images-generate-png-partial-1|wpt-format-bom)@", "--out", out])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("Result: passed"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run.json"))) as? [String: Any])
        #expect(report["format"] as? String == "tapedeck-run/1")
        #expect((report["results"] as? [Any])?.count ?? 0 > 10)
        let check = try TapedeckProcess.run(["report", "check", "--schemas", Self.root + "/Reports/schemas", out + "/junit.xml"])
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
    }

    @Test("A failing client exits 1 and the summary names the rule and the command that reruns it")
    func failingClient() throws {
        let out = Self.temporaryFolder()
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client", "python3 '\(Self.naiveClient)'", "--capabilities", "images.generate",
            "--filter", "^images-generate-png-partial-2@fault=drop-final$", "--out", out,
        ])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("CLIENT-004"))
        #expect(result.standardOutput.contains("--filter '^images-generate-png-partial-2@fault=drop-final$'"))
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<failure"))
    }

    @Test("A client that leaves a descendant running outside its process group ends, and the run writes its reports", .timeLimit(.minutes(2)))
    func escapedDescendant() throws {
        let out = Self.temporaryFolder()
        let marker = "97531\(Int.random(in: 100...999))"
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client", "setsid sleep \(marker) & exit 0", "--timeout", "5",
            "--filter", "^images-generate-png-partial-2@default$", "--out", out,
        ])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: out + "/junit.xml"))
        // The rerun command repeats the client and its timeout.
        #expect(result.standardOutput.contains("--client 'setsid sleep \(marker) & exit 0' --timeout 5 "), "\(result.standardOutput)")
        // A process killed with SIGKILL keeps its /proc entry until the kernel has torn it down,
        // which on a loaded machine takes a moment: one that was never killed is still there
        // seconds later.
        func leftover() -> Bool {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.contains { entry in
                guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
                return String(decoding: data, as: UTF8.self).contains(marker)
            } ?? false
        }
        let deadline = Date().addingTimeInterval(5)
        while leftover() && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!leftover(), "sleep \(marker) outlived the run")
    }

    @Test("A client that prints megabytes leaves a log of about a megabyte that says what was cut")
    func noisyClient() throws {
        let out = Self.temporaryFolder()
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client", "head -c 6000000 /dev/zero | tr '\\0' x; echo THE-END; exit 1", "--timeout", "30",
            "--filter", "^images-generate-png-partial-2@default$", "--out", out,
        ])
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        let logs = Scratch.files(under: URL(fileURLWithPath: out)).filter { $0.lastPathComponent == "client.log" }
        let log = try #require(logs.first)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? NSNumber).intValue
        #expect(size > 1_000_000 && size < 1_100_000, "client.log is \(size) bytes")
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("bytes of output cut here"))
        #expect(text.hasSuffix("THE-END\n"), "the end of the output is kept")
    }

    @Test("An event type of megabytes is a malformed observation, and the reports stay small")
    func hugeEventType() throws {
        let out = Self.temporaryFolder()
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client", #"printf '{"type":"%s"}\n' "$(head -c 3000000 /dev/zero | tr '\0' a)" > "$TAPEDECK_OUTPUT/events.jsonl""#, "--timeout", "30",
            "--filter", "^images-generate-png-partial-2@default$", "--out", out,
        ])
        #expect(result.status != 0)
        #expect((result.standardOutput + result.standardError).contains("names of at most 1024 bytes"), "\(result.standardOutput.suffix(2000))\(result.standardError.suffix(2000))")
        for report in ["run.json", "junit.xml"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: out + "/" + report)[.size] as? NSNumber)?.intValue ?? -1
            #expect(size > 0 && size < 200_000, "\(report) is \(size) bytes")
        }
    }

    @Test("A service whose hello is garbage with terminal escapes exits 2, the garbage shown escaped")
    func garbageHello() throws {
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client-service", #"printf '\033[2Jhello\n'; sleep 30"#, "--filter", "^images-generate-png-partial-2@default$", "--out", Self.temporaryFolder(),
        ])
        #expect(result.status == 2)
        #expect(!result.standardError.contains("\u{1B}") && !result.standardOutput.contains("\u{1B}"))
        #expect(result.standardError.contains("hello"), "\(result.standardError)")
    }

    @Test("A client that cannot start exits 2")
    func harnessError() throws {
        let result = try TapedeckProcess.run([
            "run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--no-wire",
            "--client", "/nonexistent/client", "--filter", "^images-generate-png-partial-2@default$", "--out", Self.temporaryFolder(),
        ])
        #expect(result.status == 2)
    }

    @Test("--list prints the shard's scenario IDs and runs nothing; shards split the list")
    func listAndShard() throws {
        let all = try TapedeckProcess.run(["run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--list"])
        #expect(all.status == 0)
        let ids = all.outputLines
        #expect(ids.count > 1000)
        var union: [String] = []
        for index in 1...3 {
            union += try TapedeckProcess.run(["run", "--cassettes", Self.root + "/Cassettes", "--specs", Self.root + "/Specs", "--list", "--shard", "\(index)/3"]).outputLines
        }
        #expect(union.sorted() == ids.sorted())
        let bad = try TapedeckProcess.run(["run", "--cassettes", Self.root + "/Cassettes", "--list", "--shard", "4/3"])
        #expect(bad.status == 64, "a bad --shard is a usage error")
        #expect(bad.standardError.contains("--shard takes i/n"))
    }

    @Test("--rules lists CLIENT-001 to CLIENT-009 with their levels")
    func rules() throws {
        let result = try TapedeckProcess.run(["run", "--rules"])
        #expect(result.status == 0)
        #expect((1...9).allSatisfy { result.standardOutput.contains("CLIENT-00\($0)") })
        #expect(result.standardOutput.contains("SHOULD"))
    }
}
