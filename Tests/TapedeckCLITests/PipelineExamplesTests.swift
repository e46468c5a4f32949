import Foundation
import Testing
import TestKit
import Yams

/// The example pipelines in docs/ci/ run as their CI would run them: each shard's script with
/// the variables that CI sets (GitLab's `parallel:`, GitHub's matrix), then the merge job's.
/// Two stand-ins keep it fast, the lines themselves are run as written: `./scripts/main` is a
/// script that runs the debug `tapedeck run` as scripts/main does, on a slice of the suite;
/// `.build/release/tapedeck` is the debug build; `swift build` lines are skipped.
@Suite("The CI pipelines in docs/ci", .serialized)
struct PipelineExamplesTests {
    static let slice = "^images-generate-png-partial-1@(default|fault=[a-z-]*(:[0-9]+)?|eol=cr)$"

    /// A folder laid out like a clone, with the two stand-ins.
    static func workspace() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        let tapedeck = TapedeckProcess.executable.path
        let main = "#!/bin/sh\n# What scripts/main ends with, on a slice of the suite.\nexec '\(tapedeck)' run --jobs 2 --out Reports \"$@\" --filter '\(slice)'\n"
        try Data(main.utf8).write(to: folder.appendingPathComponent("scripts/main"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("scripts/main").path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(".build/release/tapedeck").path, withDestinationPath: tapedeck)
        return folder
    }

    /// Runs one script line with bash in `folder`; returns its exit status.
    static func run(_ line: String, in folder: URL, environment: [String: String] = [:]) throws -> Int32 {
        if line.hasPrefix("swift build") { return 0 }
        let inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CI_") && !$0.key.hasPrefix("CIRCLE_") && !$0.key.hasPrefix("BUILDKITE_") }
        return try ChildProcess.run("/bin/bash", ["-c", line], directory: folder, environment: inherited.merging(environment) { $1 }, timeout: 600).status
    }

    static func pipeline(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: TapedeckProcess.repositoryRoot.appendingPathComponent("docs/ci/\(name)"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    /// The merged report: every scenario of the slice once, and the page beside it.
    static func checkMerged(in folder: URL, shards: Int) throws {
        let listed = try TapedeckProcess.run(["run", "--list", "--filter", slice]).standardOutput.split(separator: "\n").map(String.init)
        let merged = try TapedeckProcess.object(String(decoding: try Data(contentsOf: folder.appendingPathComponent("Reports/run.json")), as: UTF8.self))
        let ids = (merged["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.count == listed.count && Set(ids) == Set(listed), "\(ids.count) merged, \(listed.count) in the slice")
        for shard in 1...shards {
            let report = try TapedeckProcess.object(String(decoding: try Data(contentsOf: folder.appendingPathComponent("Reports/shard-\(shard)/run.json")), as: UTF8.self))
            #expect(!((report["results"] as? [Any]) ?? []).isEmpty, "shard \(shard) ran nothing")
            #expect((report["selection"] as? String)?.contains("--shard \(shard)/\(shards)") == true)
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Reports/index.html").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Reports/junit.xml").path))
    }

    @Test("GitLab: parallel shards read CI_NODE_INDEX through --shard auto, and the merge joins them", .timeLimit(.minutes(5)))
    func gitlab() throws {
        let pipeline = try Self.pipeline("gitlab-ci.yml")
        let shardJob = try #require(pipeline["conformance"] as? [String: Any])
        let count = try #require(shardJob["parallel"] as? Int)
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 1...count {
            for line in try #require(shardJob["script"] as? [String]) {
                #expect(try Self.run(line, in: folder, environment: ["CI_NODE_INDEX": "\(index)", "CI_NODE_TOTAL": "\(count)"]) == 0, "shard \(index): \(line)")
            }
        }
        for line in try #require((pipeline["merge"] as? [String: Any])?["script"] as? [String]) {
            #expect(try Self.run(line, in: folder) == 0, "\(line)")
        }
        try Self.checkMerged(in: folder, shards: count)
        // Outside a parallel job, --shard auto refuses rather than running everything.
        let line = try #require((shardJob["script"] as? [String])?.first)
        #expect(try Self.run(line, in: folder) == 64)
    }

    @Test("GitHub Actions: the matrix's shards, then the merge", .timeLimit(.minutes(5)))
    func github() throws {
        let jobs = try #require(try Self.pipeline("github-actions.yml")["jobs"] as? [String: Any])
        let shardJob = try #require(jobs["conformance"] as? [String: Any])
        let shards = try #require(((shardJob["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
        let runs = { (job: [String: Any]) in ((job["steps"] as? [[String: Any]]) ?? []).compactMap { $0["run"] as? String } }
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        for shard in shards {
            for line in runs(shardJob) {
                let expanded = line.replacingOccurrences(of: "${{ matrix.shard }}", with: "\(shard)")
                #expect(try Self.run(expanded, in: folder) == 0, "\(expanded)")
            }
        }
        for line in runs(try #require(jobs["merge"] as? [String: Any])) {
            #expect(try Self.run(line, in: folder) == 0, "\(line)")
        }
        try Self.checkMerged(in: folder, shards: shards.count)
    }
}
