import ArgumentParser
import Cassette
import Delivery
import Foundation
import ImageStreamSpec
import MockServer
import Synthesis

struct CassetteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassette",
        abstract: "Show, slim and make cassettes (recorded or synthesized exchanges, byte for byte).",
        discussion: "The format is documented in Cassettes/README.md. `tapedeck validate CASSETTE` checks one.",
        subcommands: [Show.self, Slim.self, Synthesize.self, Replay.self, Import.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a cassette's request, timeline and events for a terminal, or write its HTML page.",
            discussion: """
            Long values and image payloads are elided with their sizes.

            With --html, writes one self-contained page per cassette instead (no server, no \
            network: open it from the file system): the validator's findings with their rules, \
            the filmstrip of partial and final images as thumbnails in arrival order (missing, \
            truncated and corrupt ones marked), the timeline of chunk arrivals and events \
            (stalls, bursts, cuts inside a line end), and the start of the wire. The page goes \
            next to the cassette (NAME.html), or to --out.

            Examples:
              tapedeck cassette show Cassettes/images-generate-png-partial-2.cassette.json
              tapedeck cassette show --html otter.cassette.json           # writes otter.html
              tapedeck cassette show --html --out Reports/ Cassettes/*.cassette.json
            """
        )

        @Argument(help: ArgumentHelp("The cassettes to show.", valueName: "cassette"))
        var paths: [String]

        @Option(help: "The line width to fit.")
        var width = 100

        @Flag(help: "Write each cassette's HTML page instead of printing it.")
        var html = false

        @Option(help: ArgumentHelp("With --html: the page's path, or a folder (ending in /, or existing) for NAME.html pages.", valueName: "path"))
        var out: String?

        @Option(help: ArgumentHelp("With --html: the Specs folder the findings come from (default: $TAPEDECK_SPECS, else the nearest Specs/).", valueName: "folder"))
        var specs: String?

        func validate() throws {
            if out != nil && !html { throw ValidationError("--out goes with --html.") }
            if let out, paths.count > 1, !Self.isFolder(out) {
                throw ValidationError("With several cassettes, --out must be a folder (end it with /).")
            }
        }

        func run() throws {
            for path in paths {
                do {
                    let cassette = try Cassette.load(from: path)
                    guard html else {
                        print(CassetteText.show(cassette, width: width))
                        continue
                    }
                    let page = pagePath(for: path, name: cassette.name)
                    let validation = SessionPage.validate(cassette, specs: specs, command: "tapedeck cassette show")
                    try SessionPage.write(cassette, path: path, validation: validation, to: page)
                    print(page)
                } catch {
                    printError("tapedeck cassette show: \(error)")
                    throw ExitStatus.harnessFailure
                }
            }
        }

        /// NAME.html beside the cassette, or in the --out folder, or --out itself.
        func pagePath(for cassettePath: String, name: String) -> String {
            guard let out else {
                return URL(fileURLWithPath: cassettePath).deletingLastPathComponent().appendingPathComponent("\(name).html").path
            }
            return Self.isFolder(out) ? URL(fileURLWithPath: out).appendingPathComponent("\(name).html").path : out
        }

        static func isFolder(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
    }

    struct Slim: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace image payloads by small real images of the same format and pixel size.",
            discussion: """
            Keeps suites small in git: every base64 image (b64_json, partial_image_b64, result) \
            becomes a mosaic of one landscape (the cassette's own) of the same format, width, \
            height and alpha, so the cassette still passes every check; each image in the body \
            is a finer mosaic than the one before, so previews progress toward the final image \
            in the report's filmstrip. Chunk boundaries and times are kept. An image is only \
            replaced by a smaller one. Writes in place unless --out names a folder.

            Example:
              tapedeck cassette slim Cassettes/*.cassette.json
            """
        )

        @Argument(help: ArgumentHelp("The cassettes to slim.", valueName: "cassette"))
        var paths: [String]

        @Option(help: ArgumentHelp("Write the slimmed cassettes into this folder instead.", valueName: "folder"))
        var out: String?

        func run() throws {
            for path in paths {
                do {
                    let outcome = try CassetteSlimmer.slim(try Cassette.load(from: path))
                    let target = out.map { $0 + "/" + URL(fileURLWithPath: path).lastPathComponent } ?? path
                    try outcome.cassette.save(to: target)
                    print("\(target): \(outcome.replaced) image\(outcome.replaced == 1 ? "" : "s") replaced, \(outcome.bytesBefore) → \(outcome.bytesAfter) bytes")
                } catch {
                    printError("tapedeck cassette slim: \(path): \(error)")
                    throw ExitStatus.harnessFailure
                }
            }
        }
    }

    struct Synthesize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a cassette from the spec: the response synthesized for a request, delivered through a scenario.",
            discussion: """
            The cassette's provenance says it was synthesized, by which version, from which \
            request and scenario. A scenario with faults records what a client would see: \
            --scenario fault=drop-final makes a stream that ends without its final event.

            Example:
              tapedeck cassette synthesize --surface images.generate \\
                --request '{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2}' \\
                --name images-generate-png-partial-2 --out Cassettes --slim
            """
        )

        @Option(help: ArgumentHelp("The surface: images.generate, images.edit or responses.", valueName: "id"))
        var surface: String

        @Option(help: ArgumentHelp("The request body as JSON, or @FILE.", valueName: "json"))
        var request: String

        @Option(help: ArgumentHelp("A delivery scenario, as in serve's /s/<scenario>/ paths.", valueName: "scenario"))
        var scenario = "default"

        @Option(help: "The cassette's name; the file is NAME.cassette.json.")
        var name: String

        @Option(help: ArgumentHelp("The folder to write into.", valueName: "folder"))
        var out = "."

        @Flag(help: "Slim the images before saving.")
        var slim = false

        @OptionGroup var specOptions: SpecOptions

        func run() throws {
            do {
                let catalog = try SpecsLocation.load(explicit: specOptions.specs)
                let requestText = request.hasPrefix("@") ? String(decoding: try ValidateCommand.read(String(request.dropFirst())), as: UTF8.self) : request
                var cassette = try CassetteFactory.synthesize(
                    name: name, surface: surface, dialect: specOptions.dialect, requestJSON: requestText,
                    scenario: try Scenario(parsing: scenario), catalog: catalog, tool: "tapedeck \(TapedeckVersion.current)"
                )
                if slim { cassette = try CassetteSlimmer.slim(cassette).cassette }
                let path = out + "/" + name + Cassette.fileExtension
                try cassette.save(to: path)
                print("\(path): \(cassette.surface) (\(cassette.dialect)), \(cassette.response.recording.bytes.count) bytes in \(cassette.response.recording.chunkEnds.count) chunks, \(cassette.response.ending.rawValue)")
            } catch {
                printError("tapedeck cassette synthesize: \(error)")
                throw ExitStatus.harnessFailure
            }
        }
    }
}
