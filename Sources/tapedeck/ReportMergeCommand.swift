import ArgumentParser
import Foundation
import HTMLReport
import Reports

struct ReportMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the JSON reports of a run's shards into one report, and optionally its JUnit XML.",
        discussion: """
        Each SHARD is a `tapedeck-run/1` JSON report of one shard of the same suite and client. \
        The merged report lists every scenario once, sorted by ID (a scenario in two shards is \
        refused, by name); the run lasts from the first shard's start to the last one's end; the \
        shards' selections are joined. The summary of the whole run is printed.

        The merged HTML page is written beside --out (index.html), or at --html.

        Exit status follows the merged results, so a final merge job can gate the pipeline: 0 \
        when every scenario passed or was skipped (non-strict ones too, unless --strict), 1 when \
        one failed, 2 when one could not run or the shards cannot be read or joined.

        Example:
          tapedeck report merge shard-1/run.json shard-2/run.json \\
            --out Reports/run.json --junit Reports/junit.xml
        """
    )

    @Argument(help: ArgumentHelp("The shards' JSON reports.", valueName: "shard.json"))
    var shards: [String]

    @Option(help: ArgumentHelp("Where to write the merged JSON report.", valueName: "file"))
    var out: String = "Reports/run.json"

    @Option(help: ArgumentHelp("Also write the merged run as JUnit XML here.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Where to write the merged HTML page (default: index.html beside --out).", valueName: "file"))
    var html: String?

    @Flag(help: "SHOULDs broken count as failures, in the exit status and in the JUnit report.")
    var strict = false

    /// The merged page: as given, else index.html in --out's folder.
    private var htmlPath: String {
        html ?? ((out as NSString).deletingLastPathComponent.isEmpty ? "index.html" : (out as NSString).deletingLastPathComponent + "/index.html")
    }

    func run() throws {
        let merged: RunReport
        do {
            merged = try RunReport.merged(try shards.map { path throws(ReportFileError) in try JSONReport.read(from: path) })
            try JSONReport.write(merged, to: out)
            if let junit { try JUnitWriter(strict: strict).write(merged, to: junit) }
            try HTMLReportWriter.write(merged, to: htmlPath)
        } catch {
            printError("tapedeck report merge: \(error)")
            throw ExitStatus.harnessFailure
        }
        print(Summary(strict: strict).render(merged), terminator: "")
        print("Wrote \(([out] + [junit].compactMap { $0 } + [htmlPath]).joined(separator: ", ")).")
        let outcome = ExitPolicy.outcome(of: merged.results, strict: strict)
        if outcome != .passed { throw ExitCode(outcome.rawValue) }
    }
}
