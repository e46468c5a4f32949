import ArgumentParser
import Cassette
import Foundation
import ImageStreamSpec
import Reports

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check recorded responses against the documented surface and a gateway dialect.",
        discussion: """
        Each PATH is a response as it arrived: an event stream (.sse, or any file that is not \
        JSON), a JSON body (.json: an ImagesResponse or an error body), or a cassette \
        (.cassette.json), which carries its own request, surface and dialect. With --request, the \
        request it answers (its JSON body; for a multipart edit, its form fields as a JSON object \
        of strings) lets the checks compare echoed settings, counts and sizes with what was asked.

        Findings are grouped by rule. Each names the rule's ID and level (MUST is an error, \
        SHOULD a warning, INFO neither), where it is (event index and byte offsets), what was \
        expected and found, and the rule's source. `tapedeck rules` lists them all.

        The surface is guessed from the request or the events when --surface is not given. \
        Surfaces: images.generate, images.edit, responses.

        Exit 0 when there is no error-level finding (with --strict, no warning either), 1 when \
        there is, 2 when the input cannot be used (a missing file, an unknown surface or \
        dialect, a request that is not JSON).

        With --junit FILE, the findings are also written as a JUnit XML report for CI: one \
        test case per file, failing on a MUST (and, with --strict, on a SHOULD), an error for a \
        file that could not be validated; valid against both schemas `tapedeck report check` uses.

        Examples:
          tapedeck validate Cassettes/streams/images-generate-partial-2.sse
          tapedeck validate --junit Reports/junit.xml recordings/*.sse
          tapedeck validate --surface responses --dialect azure --request req.json out.sse
          tapedeck validate --format json --strict recordings/*.sse
        """
    )

    @Argument(help: ArgumentHelp("Responses to check: event streams or JSON bodies; '-' reads standard input.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("The surface: images.generate, images.edit or responses (guessed when absent).", valueName: "id"))
    var surface: String?

    @Option(help: ArgumentHelp("The request the responses answer, as a JSON file.", valueName: "file"))
    var request: String?

    @Option(help: "Output: text for people, json for machines.")
    var format: OutputFormatOption = .text

    @Flag(help: "Warnings (SHOULD) fail too.")
    var strict = false

    @Option(help: ArgumentHelp("Also write the findings as a JUnit XML report here, one test case per file.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Refuse (exit 2) a stream with more events than this: every event is held while the checks run, about 600 bytes each.", valueName: "n"))
    var maxEvents = Validator.defaultEventLimit

    @OptionGroup var specOptions: SpecOptions

    enum OutputFormatOption: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard maxEvents > 0 else { throw ValidationError("--max-events must be at least 1, not \(maxEvents)") }
    }

    func run() throws {
        let started = Date()
        let catalog: SpecCatalog
        let requestJSON: JSONValue?
        do {
            catalog = try SpecsLocation.load(explicit: specOptions.specs)
            requestJSON = try request.map(Self.readRequest)
        } catch {
            printError("tapedeck validate: \(error)")
            // CI collects the JUnit report even when nothing could be validated.
            writeJUnit([], unvalidated: paths.map { .init(path: $0, reason: "\(error)") }, started: started)
            throw ExitStatus.harnessFailure
        }

        var reports: [ValidationJUnit.Timed] = []
        for path in paths {
            let fileStarted = Date()
            do {
                let report = try validate(path, catalog: catalog, request: requestJSON)
                reports.append(.init(file: report, duration: Date().timeIntervalSince(fileStarted)))
            } catch {
                printError("tapedeck validate: \(error)")
                writeJUnit(reports, unvalidated: [.init(path: path, reason: "\(error)")], started: started)
                throw ExitStatus.harnessFailure
            }
        }
        let files = reports.map(\.file)
        switch format {
        case .text: print(ValidationText.render(files, strict: strict), terminator: "")
        case .json: print(try ValidationJSON.render(files, strict: strict))
        }
        guard writeJUnit(reports, unvalidated: [], started: started) else { throw ExitStatus.harnessFailure }
        if files.contains(where: { !$0.report.passes(strict: strict) }) {
            throw ExitStatus.nonConformant
        }
    }

    /// Writes the --junit report, if asked; false when it could not be written.
    @discardableResult
    private func writeJUnit(_ files: [ValidationJUnit.Timed], unvalidated: [ValidationJUnit.Unvalidated], started: Date) -> Bool {
        guard let junit else { return true }
        let options = ValidationJUnit.ReproductionOptions(surface: surface, dialect: specOptions.explicitDialect, request: request, strict: strict, specs: specOptions.specs)
        let report = ValidationJUnit.report(files: files, unvalidated: unvalidated, options: options, startedAt: started, duration: Date().timeIntervalSince(started))
        do {
            try JUnitWriter(strict: strict).write(report, to: junit)
            return true
        } catch {
            printError("tapedeck validate: \(error)")
            return false
        }
    }

    private func validate(_ path: String, catalog: SpecCatalog, request: JSONValue?) throws -> FileReport {
        if path.hasSuffix(Cassette.fileExtension) {
            return try validateCassette(path, catalog: catalog, request: request)
        }
        let data = try Self.read(path)
        let bytes = [UInt8](data)
        let response: ValidationInput.Response = ResponseKind.isJSONBody(bytes, path: path) ? .body(bytes) : .stream(bytes)
        let guess = surface.map { (surface: $0, reason: "given") } ?? SurfaceGuess.guess(request: request, response: response)
        let spec = try catalog.resolve(surface: guess.surface, dialect: specOptions.dialect)
        let report = try Validator(spec: spec).validate(ValidationInput(request: request, response: response), eventLimit: maxEvents)
        return FileReport(path: path, surfaceReason: guess.reason, report: report)
    }

    /// A cassette carries its own request, surface and dialect; options given still win.
    private func validateCassette(_ path: String, catalog: SpecCatalog, request: JSONValue?) throws -> FileReport {
        let cassette = try Cassette.load(from: path)
        let report = try Validator.validate(cassette, catalog: catalog, surface: surface, dialect: specOptions.explicitDialect, request: request, eventLimit: maxEvents)
        return FileReport(path: path, surfaceReason: surface == nil ? "from the cassette" : "given", report: report)
    }

    /// Reads a whole file, a pipe, or standard input for "-".
    static func read(_ path: String) throws -> Data {
        var isFolder: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw UsageProblem("cannot read '\(path)': it is a folder; give the files in it")
        }
        guard let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path) else {
            throw UsageProblem("cannot read '\(path)': \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw UsageProblem("cannot read '\(path)': \(error.localizedDescription)")
        }
    }

    static func readRequest(_ path: String) throws -> JSONValue {
        let data = try read(path)
        do {
            let json = try JSONValue.parse([UInt8](data))
            guard json.object != nil else { throw UsageProblem("the request file '\(path)' holds JSON \(json.typeName), not an object; give the request body") }
            return json
        } catch let error as JSONParseError {
            throw UsageProblem("the request file '\(path)' is not JSON (\(error)); give the request body, or for a multipart edit its form fields as a JSON object of strings")
        }
    }
}

/// One validated file.
struct FileReport {
    let path: String
    /// How the surface was chosen: given, or guessed from what.
    let surfaceReason: String
    let report: ValidationReport
}

/// Input the user must fix; printed as one line.
struct UsageProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum ResponseKind {
    /// A JSON body starts (after white space) with `{` or `[`; an event stream never does.
    static func isJSONBody(_ bytes: [UInt8], path: String) -> Bool {
        if path.hasSuffix(".json") { return true }
        if path.hasSuffix(".sse") { return false }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }
}

enum SurfaceGuess {
    static func guess(request: JSONValue?, response: ValidationInput.Response) -> (surface: String, reason: String) {
        if let request {
            if request["tools"] != nil || request["input"] != nil { return ("responses", "guessed from the request's tools") }
            if request["image"] != nil || request["images"] != nil || request["image[]"] != nil || request["mask"] != nil {
                return ("images.edit", "guessed from the request's image field")
            }
            return ("images.generate", "guessed from the request")
        }
        if case .stream(let bytes) = response {
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
            for (marker, surface) in [("\"response.", "responses"), ("\"image_edit.", "images.edit"), ("\"image_generation.", "images.generate")] where text.contains(marker) {
                return (surface, "guessed from the event types")
            }
        }
        if case .body(let bytes) = response, let body = try? JSONValue.parse(bytes), body["object"]?.string == "response" || body["output"]?.array != nil {
            return ("responses", "guessed from the body: a Response")
        }
        return ("images.generate", "the default; pass --surface to choose")
    }
}
