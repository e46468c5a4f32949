import ArgumentParser
import Cassette
import CassetteImport
import Foundation
import ImageStreamSpec

extension CassetteCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Turn vcrpy / pytest-recording cassettes and HAR files into Tapedeck cassettes.",
            discussion: """
            Each exchange with an image surface's endpoint (Specs/surfaces/*.yaml: POST \
            /v1/images/generations, /v1/images/edits, /v1/responses, after any prefix) becomes \
            a cassette (NAME.cassette.json, or NAME-1, NAME-2, … for several), with its request, \
            status, headers and body as the other tool kept them and secrets redacted; other \
            exchanges are skipped and listed. Those tools do not keep where the body's chunks \
            arrived, so the body is one chunk and the provenance says `imported`: the suite \
            still cuts it every other way (whole, adversarial, random, faults). Compressed \
            bodies (gzip, deflate) are decoded. Each cassette is then validated, as after \
            `tapedeck record`.

            Exit status: 0 when every imported cassette conforms, 1 when one does not (it is \
            written all the same), 2 when the file cannot be read or holds no image exchange.

            Examples:
              tapedeck cassette import tests/cassettes/test_stream.yaml --out Cassettes/
              tapedeck cassette import devtools-export.har --name gateway-edit --dialect gateway
            """
        )

        @Argument(help: ArgumentHelp("The vcrpy cassette (YAML or JSON) or HAR file to import.", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("The file's format: vcrpy or har (detected from its top-level keys when absent).", valueName: "format"))
        var format: String?

        @Option(help: ArgumentHelp("The cassettes' name (default: the file's name without its extension).", valueName: "name"))
        var name: String?

        @Option(help: ArgumentHelp("The folder to write the cassettes into.", valueName: "folder"))
        var out: String = "Cassettes"

        @Flag(help: "Replace cassettes of the same name; without it, an existing cassette is never overwritten.")
        var force = false

        @OptionGroup var redaction: RedactionOptions
        @OptionGroup var specOptions: SpecOptions

        func validate() throws {
            if let format, ForeignFormat(rawValue: format) == nil {
                throw ValidationError("--format takes \(ForeignFormat.allCases.map(\.rawValue).joined(separator: " or ")), not \(format).")
            }
            if let name, name.isEmpty || name.contains("/") {
                throw ValidationError("--name takes a file name without a folder, such as gateway-edit.")
            }
        }

        func run() throws {
            let outcome: CassetteImporter.Outcome
            let catalog: SpecCatalog
            do {
                catalog = try SpecsLocation.load(explicit: specOptions.specs)
                _ = try catalog.resolve(surface: catalog.surfaces(ofDialect: specOptions.dialect).first ?? "", dialect: specOptions.dialect)
                let importer = CassetteImporter(redactor: try redaction.redactor(), tool: "tapedeck \(TapedeckVersion.current)", dialect: specOptions.dialect,
                                                surfaceOf: { [catalog] method, path in catalog.surface(method: method, path: path) })
                outcome = try importer.importFile(file, format: format.flatMap(ForeignFormat.init(rawValue:)), name: name ?? Self.baseName(of: file))
            } catch {
                printError("tapedeck cassette import: \(error)")
                throw ExitStatus.harnessFailure
            }
            let targets = outcome.cassettes.map { URL(fileURLWithPath: out).appendingPathComponent($0.name + Cassette.fileExtension).path }
            if !force, let existing = targets.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                printError("tapedeck cassette import: \(existing) exists; pass --name for another name, or --force to replace it")
                throw ExitStatus.harnessFailure
            }
            for skipped in outcome.skipped { print("skipped \(skipped)") }
            var reports: [FileReport] = []
            for (cassette, target) in zip(outcome.cassettes, targets) {
                do {
                    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                    try cassette.save(to: target)
                    reports.append(FileReport(path: target, surfaceReason: "from the request's path", report: try Validator.validate(cassette, catalog: catalog)))
                } catch {
                    printError("tapedeck cassette import: \(target): \(error)")
                    throw ExitStatus.harnessFailure
                }
                let response = cassette.response
                print("\(target): \(cassette.surface), HTTP \(response.status), \(response.recording.bytes.count) bytes, imported from \(outcome.format.rawValue) (one chunk: arrival boundaries unknown)")
            }
            print(ValidationText.render(reports, strict: false), terminator: "")
            if !reports.allSatisfy({ $0.report.passes(strict: false) }) { throw ExitStatus.nonConformant }
        }

        static func baseName(of path: String) -> String {
            var name = URL(fileURLWithPath: path).lastPathComponent
            for suffix in [".yaml", ".yml", ".json", ".har"] where name.lowercased().hasSuffix(suffix) {
                name = String(name.dropLast(suffix.count))
                break
            }
            return name.isEmpty ? "imported" : name
        }
    }
}
