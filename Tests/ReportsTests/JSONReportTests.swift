import Foundation
import Reports
import Testing

@Suite("JSON reports: tapedeck-run/1, pretty and sorted, written atomically, read strictly")
struct JSONReportTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static var withTrace: RunReport {
        var result = Fixtures.result("traced@chunking=bytes", verdict: .fail, log: Fixtures.oddText)
        result.faults = ["truncate-final-image"]
        result.trace = SessionTrace(
            chunks: [ChunkMark(offset: 0, length: 1, time: 0.001)], chunksOmitted: 3,
            events: [EventMark(index: 0, type: "image_generation.partial_image", byteStart: 0, byteEnd: 80, time: 0.01, clientTime: 0.02, surfaced: true)],
            images: [ImageFrame(role: .final, index: 0, format: "png", width: 64, height: 64, time: 0.5, status: .truncated, problem: "IDAT cut", byteCount: 900)],
            ending: "closed", byteCount: 1000
        )
        return Fixtures.report([result] + Fixtures.everyVerdict.results)
    }

    @Test("A report survives writing and reading, every field included")
    func roundTrip() throws {
        let path = try Self.temporaryFolder().appendingPathComponent("nested/run.json").path
        try JSONReport.write(Self.withTrace, to: path)
        #expect(try JSONReport.read(from: path) == Self.withTrace)
    }

    @Test("The file is pretty-printed with sorted keys and its format first among equals")
    func layout() throws {
        let text = String(decoding: try JSONReport.encode(Fixtures.everyVerdict), as: UTF8.self)
        #expect(text.contains("\n  \"client\" : {"))
        #expect(text.contains("\"format\" : \"tapedeck-run/1\""))
        let keys = ["client", "duration", "format", "results", "selection", "startedAt", "tool"]
        let positions = keys.map { text.range(of: "\n  \"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.hasSuffix("}\n"))
    }

    @Test("Writing leaves no temporary file and replaces the old report whole")
    func atomic() throws {
        let folder = try Self.temporaryFolder()
        let path = folder.appendingPathComponent("run.json").path
        try JSONReport.write(Fixtures.large(50), to: path)
        try JSONReport.write(Fixtures.everyVerdict, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["run.json"])
        #expect(try JSONReport.read(from: path) == Fixtures.everyVerdict)
    }

    @Test("Other formats and other files are refused with what to do", arguments: [
        (#"{"format": "tapedeck-run/2", "results": []}"#, "is in format `tapedeck-run/2`, and this tapedeck reads only `tapedeck-run/1`"),
        (#"{"results": []}"#, "is in format `no format field`"),
        (#"{"format": "tapedeck-run/1", "tool": "t"}"#, "`startedAt` is missing"),
        ("not json", "is not a tapedeck-run/1 report: not JSON"),
        (#"{"format": "tapedeck-run/1", "tool": "t", "startedAt": "", "duration": "long", "client": {}, "selection": "", "results": []}"#, "at duration"),
    ])
    func refused(json: String, message: String) {
        #expect {
            _ = try JSONReport.decode(Array(json.utf8), path: "shard.json")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("shard.json")
        }
    }

    @Test("A missing file says so")
    func missing() {
        #expect(throws: ReportFileError.unreadable(path: "/nonexistent/run.json", reason: "no such file")) {
            try JSONReport.read(from: "/nonexistent/run.json")
        }
    }
}
