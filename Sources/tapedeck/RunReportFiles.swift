import Foundation
import HTMLReport
import Reports

/// The three reports of a run, written into one folder: run.json for machines, junit.xml for
/// CI, index.html for people (`tapedeck run`, and `tapedeck session --out`).
enum RunReportFiles {
    /// Writes them; on failure prints what could not be written for `command` and exits 2.
    static func write(_ report: RunReport, to folder: String, strict: Bool, command: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try JSONReport.write(report, to: folder + "/run.json")
            try JUnitWriter(strict: strict).write(report, to: folder + "/junit.xml")
            try HTMLReportWriter.write(report, to: folder + "/index.html")
        } catch {
            printError("tapedeck \(command): cannot write the reports in \(folder): \(error)")
            throw ExitStatus.harnessFailure
        }
    }
}
