import AtomicFiles
import Foundation

/// A ``RunReport`` as a file: the `tapedeck-run/1` JSON format, pretty-printed with sorted keys
/// so that two reports diff line by line, and written atomically so that a reader (or a merge
/// job collecting shards) never sees half a report.
public enum JSONReport {
    public static func encode(_ report: RunReport) throws(ReportFileError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(report)) + [UInt8(ascii: "\n")]
        } catch {
            throw .unencodable(reason: "\(error)")
        }
    }

    /// Reads a report, refusing any format but ``RunReport/formatVersion``.
    public static func decode(_ bytes: [UInt8], path: String = "the report") throws(ReportFileError) -> RunReport {
        let data = Data(bytes)
        let probe: FormatProbe
        do {
            probe = try JSONDecoder().decode(FormatProbe.self, from: data)
        } catch {
            throw .notAReport(path: path, reason: Self.describe(error))
        }
        guard probe.format == RunReport.formatVersion else {
            throw .wrongFormat(path: path, found: probe.format ?? "no format field")
        }
        do {
            return try JSONDecoder().decode(RunReport.self, from: data)
        } catch {
            throw .notAReport(path: path, reason: Self.describe(error))
        }
    }

    public static func write(_ report: RunReport, to path: String) throws(ReportFileError) {
        let bytes = try encode(report)
        do throws(AtomicFileError) {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: path, reason: error.description)
        }
    }

    public static func read(from path: String) throws(ReportFileError) -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")
        }
        return try decode([UInt8](data), path: path)
    }

    private struct FormatProbe: Decodable {
        let format: String?
    }

    /// Decoding errors, in words: which field, and what was wrong with it.
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func where_(_ path: [CodingKey]) -> String {
            path.isEmpty ? "at the top" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context): return "not JSON (\(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription))"
        case .keyNotFound(let key, let context): return "`\(key.stringValue)` is missing \(where_(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(context.debugDescription) \(where_(context.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a report file could not be read, written or merged; each says what to do.
public enum ReportFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notAReport(path: String, reason: String)
    case wrongFormat(path: String, found: String)
    case unencodable(reason: String)
    case unwritable(path: String, reason: String)
    case nothingToMerge
    case duplicateScenario(id: String)
    case differentClients(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read '\(path)': \(reason); give the path of a report written by `tapedeck run`"
        case .notAReport(let path, let reason):
            "'\(path)' is not a \(RunReport.formatVersion) report: \(reason); give a report written by `tapedeck run`"
        case .wrongFormat(let path, let found):
            "'\(path)' is in format `\(found)`, and this tapedeck reads only `\(RunReport.formatVersion)`; write it again with this version of tapedeck"
        case .unencodable(let reason):
            "the report cannot be written as JSON (\(reason)); a duration or time is probably not a finite number"
        case .unwritable(let path, let reason):
            "cannot write '\(path)': \(reason); choose a writable path"
        case .nothingToMerge:
            "no reports to merge; give the shards' JSON reports"
        case .duplicateScenario(let id):
            "scenario `\(id)` appears in more than one shard; merge the shards of one run only, each once"
        case .differentClients(let first, let second):
            "the shards tested different clients (\(first) and \(second)); merge the shards of one run only"
        }
    }
}
