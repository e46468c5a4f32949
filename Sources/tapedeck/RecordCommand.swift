import ArgumentParser
import Cassette
import Foundation
import ImageStreamSpec
import Recorder
import Reports
import SSEWire

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Send one request through libcurl and record every chunk of the response into a cassette.",
        discussion: """
        Records the response byte for byte, each chunk with its arrival time (monotonic clock), \
        then validates the cassette against its surface and dialect and prints the findings: \
        the exit status says whether the provider conformed (0), did not (1), or could not be \
        reached (2; one line says why, and no cassette is written unless --record-failures asks \
        for one: status 502, the cause in an OpenAI-shaped error body, ending `failed`).

        It also writes the session's HTML page to Reports/index.html (--report DIR to put it \
        elsewhere, --no-report to skip it): the findings, the filmstrip of partial and final \
        images, the timeline of chunk arrivals and events, and the start of the wire, in one \
        file that opens from the file system.

        Secrets never reach the disk: Authorization, api-key and x-api-key style headers \
        and cookies; sk-… and gateway (aigw_sk_…) keys and long Bearer tokens anywhere; JSON \
        members and form fields named like credentials (api_key, password, token, secret…); \
        a URL's password and key-like query parameters; and the same in the response (a 401 \
        that echoes the key), its chunk boundaries kept around the placeholder. All are \
        replaced by [redacted] before anything is written; --redact adds patterns, and \
        --redact-config FILE adds those of a file (one regular expression per line, # for \
        comments). The cassette is written atomically: a hidden temporary file .NAME.tmp-PID-… \
        beside it, then a rename; one left by a killed record is deleted by the next save of \
        that cassette.

        Ctrl-C (or SIGTERM) stops the recording and saves what had arrived, marked ending \
        `interrupted` so it never passes for a whole response, and exits 130; a second Ctrl-C \
        quits at once.

        libcurl speaks TLS and HTTP/2 where offered and honours the usual proxy variables \
        (https_proxy, no_proxy). For a server with a self-signed certificate, give it with \
        --cacert, or skip verification with --insecure (which trusts any certificate: for \
        test servers only).

        Examples:
          tapedeck record --url https://api.openai.com/v1/images/generations \\
            -H "Authorization: Bearer $OPENAI_API_KEY" \\
            --body '{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2}' \\
            --out Cassettes/openai-generate-partial-2.cassette.json
          tapedeck record --url http://127.0.0.1:8080/v1/responses --request req.json --out r.cassette.json
          tapedeck record --url http://127.0.0.1:8080/v1/images/edits --form model=gpt-image-1 \\
            --form prompt='add a hat' --form stream=true --file 'image[]=@otter.png' --out e.cassette.json
        """
    )

    @Option(help: "The URL to send the request to.")
    var url: String?

    @Option(help: ArgumentHelp("Send the request to one of the dialect's documented routes, by name (with --dialect), such as --dialect aiswing --route cdn.", valueName: "name"))
    var route: String?

    @Option(help: ArgumentHelp("The JSON request body.", valueName: "json"))
    var body: String?

    @Option(help: ArgumentHelp("A file holding the JSON request body.", valueName: "file"))
    var request: String?

    @Option(help: ArgumentHelp("A multipart form field, name=value (repeatable), as the SDKs send image edits.", valueName: "field"))
    var form: [String] = []

    @Option(help: ArgumentHelp("A multipart file part, name=@path (repeatable), e.g. image[]=@otter.png.", valueName: "file"))
    var file: [String] = []

    @Option(name: .customShort("H"), help: ArgumentHelp("A request header, 'Name: value' (repeatable).", valueName: "header"))
    var header: [String] = []

    @Option(help: ArgumentHelp("Where to write the cassette (NAME.cassette.json).", valueName: "cassette"))
    var out: String

    @Option(help: ArgumentHelp("The surface (guessed from the URL's path when absent).", valueName: "id"))
    var surface: String?

    @Option(help: "Stop after this many seconds; the cassette records why it stopped.")
    var maxTime: Double?

    @Option(help: "Stop after this many events.")
    var maxEvents: Int?

    @Flag(help: "Stop as soon as the stream's final event arrives (for streams that never close).")
    var stopAfterFinal = false

    @OptionGroup var connection: UpstreamOptions

    @Option(help: ArgumentHelp("Also record this progress socket, opened before the request and kept until --progress-linger after the answer: ws://HOST:PORT/socket.io/?EIO=4&transport=websocket (Socket.IO) or ws://HOST:PORT/ws (plain WebSocket). Its frames go into the cassette's progress section.", valueName: "url"))
    var progress: String?

    @Option(help: ArgumentHelp("The Socket.IO namespace to join on --progress (default: the dialect's, such as /image-progress).", valueName: "namespace"))
    var progressNamespace: String?

    @Option(help: ArgumentHelp("Seconds to keep the progress socket open after the answer, for messages that come late.", valueName: "seconds"))
    var progressLinger: Double = 1

    @OptionGroup var redaction: RedactionOptions

    @Flag(help: "When no response arrives (DNS, connection, TLS), still write a cassette: a 502 naming the cause, ending `failed`.")
    var recordFailures = false

    @Flag(help: "Print each event as it completes.")
    var events = false

    @Option(help: ArgumentHelp("The folder to write the session's HTML page into, as index.html.", valueName: "folder"))
    var report = "Reports"

    @Flag(help: "Do not write the HTML page.")
    var noReport = false

    @Option(help: ArgumentHelp("Also write the validation of the recorded response as a JUnit XML report, through the same writer as `tapedeck validate --junit` and `tapedeck run`.", valueName: "file"))
    var junit: String?

    @OptionGroup var specOptions: SpecOptions

    func validate() throws {
        guard (url == nil) != (route == nil) else {
            throw ValidationError("Give where to send the request one way: --url URL, or --route NAME with --dialect.")
        }
        let isForm = !form.isEmpty || !file.isEmpty
        guard [body != nil, request != nil, isForm].filter({ $0 }).count == 1 else {
            throw ValidationError("Give the request body one way: --body, --request, or --form/--file for multipart.")
        }
        guard form.allSatisfy({ $0.contains("=") }) else { throw ValidationError("--form takes name=value.") }
        guard file.allSatisfy({ $0.contains("=@") }) else { throw ValidationError("--file takes name=@path, such as image[]=@otter.png.") }
        for part in file {
            let path = String(part[part.range(of: "=@")!.upperBound...])
            guard FileManager.default.isReadableFile(atPath: path) else { throw ValidationError("--file \(part): cannot read \(path).") }
        }
        guard out.hasSuffix(Cassette.fileExtension) else { throw ValidationError("--out must end in \(Cassette.fileExtension).") }
        try HeaderLines.check(header)
        if !form.isEmpty || !file.isEmpty, header.contains(where: { $0.lowercased().hasPrefix("content-type") }) {
            throw ValidationError("With --form or --file, libcurl sets the multipart Content-Type and its boundary; leave -H 'Content-Type' out.")
        }
    }

    func run() throws {
        let started = Date()
        let redactor: Redactor
        let bodyText: String
        let catalog: SpecCatalog
        do {
            redactor = try redaction.redactor()
            bodyText = try body ?? (request.map { String(decoding: try ValidateCommand.read($0), as: UTF8.self) } ?? "")
            catalog = try SpecsLocation.load(explicit: specOptions.specs)
        } catch {
            printError("tapedeck record: \(error)")
            throw ExitStatus.harnessFailure
        }
        let url: String
        do {
            url = try self.url ?? Self.routeURL(named: route ?? "", dialect: specOptions.dialect, catalog: catalog)
        } catch {
            printError("tapedeck record: \(error)")
            throw ExitStatus.usage
        }
        var recording = request(url: url, body: bodyText, catalog: catalog)

        // Ctrl-C keeps what arrived: the recording stops, and is saved marked `interrupted`.
        let interruption = InterruptWatch()
        recording.isInterrupted = { interruption.isInterrupted }
        let cassette = try record(recording, redactor: redactor, catalog: catalog)
        try conclude(cassette, catalog: catalog, started: started)
    }

    /// The request the options describe: URL, body or form, headers, limits, TLS trust.
    func request(url: String, body bodyText: String, catalog: SpecCatalog) -> Recorder.Request {
        let name = String(URL(fileURLWithPath: out).lastPathComponent.dropLast(Cassette.fileExtension.count))
        var recording = Recorder.Request(url: url, body: bodyText, name: name, surface: surface ?? Self.surface(forURL: url, catalog: catalog))
        recording.dialect = specOptions.dialect
        recording.headers = HeaderLines.pairs(header)
        if !form.isEmpty || !file.isEmpty {
            recording.form = FormBody(
                fields: form.map { field in
                    let equals = field.firstIndex(of: "=")!
                    return (String(field[..<equals]), String(field[field.index(after: equals)...]))
                },
                files: file.map { part in
                    let marker = part.range(of: "=@")!
                    let path = String(part[marker.upperBound...])
                    return (String(part[..<marker.lowerBound]), path, FormBody.contentType(forPath: path))
                }
            )
        } else if !recording.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            recording.headers.append(("Content-Type", "application/json"))
        }
        recording.connectTimeout = connection.connect
        recording.idleTimeout = connection.idle
        recording.maxTime = maxTime.map { .milliseconds(Int64($0 * 1000)) }
        recording.maxEvents = maxEvents
        recording.stopAfterFinalEvent = stopAfterFinal
        recording.caCertificate = connection.cacert
        recording.insecure = connection.insecure
        return recording
    }

    /// Records (with the progress socket beside it, when asked) and saves the cassette; a
    /// failure is said, and saved too with --record-failures.
    func record(_ recording: Recorder.Request, redactor: Redactor, catalog: SpecCatalog) throws -> Cassette {
        let printEvents = events
        let recorder = Recorder(redactor: redactor, tool: "tapedeck \(TapedeckVersion.current)")
        var cassette: Cassette
        do {
            let socket = try progress.map { url throws(RecordingFailure) in
                try ProgressRecorder(url: url, namespace: progressNamespace ?? Self.progressNamespace(dialect: specOptions.dialect, catalog: catalog), redactor: redactor, connectTimeout: connection.connect)
            }
            socket?.requestSent()
            cassette = try recorder.record(recording, onEvent: { event in
                // Flushed at once: a script reading the pipe sees each event as it arrives.
                if printEvents { ServeCommand.printLine("event \(event.type): \(event.data.utf8.count) bytes of data") }
            }, onProgress: { progress in
                if isatty(STDERR_FILENO) != 0 {
                    let seconds = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
                    let line = "\u{1B}[2K\r\(progress.bytes) bytes, \(progress.chunks) chunks, \(progress.events) events, \(progress.partialImages) partial images, \(String(format: "%.1f", seconds)) s"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            })
            if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            if let socket {
                cassette.progress = socket.finish(linger: .milliseconds(Int64(max(0, progressLinger) * 1000)))
                print("progress: \(cassette.progress?.frames.count ?? 0) frames from \(socket.url)")
            }
            try cassette.save(to: out)
        } catch let failure as RecordingFailure where failure.kind == .interrupted {
            printError("tapedeck record: interrupted before any response arrived; no cassette written")
            throw ExitStatus.interrupted
        } catch let failure as RecordingFailure {
            printError("tapedeck record: \(failure)")
            if recordFailures {
                do {
                    try recorder.failureCassette(recording, failure: failure).save(to: out)
                    printError("tapedeck record: recorded the failure in \(out) (HTTP \(RecordingFailure.status), ending failed)")
                } catch {
                    printError("tapedeck record: \(error)")
                }
            }
            throw ExitStatus.harnessFailure
        } catch {
            printError("tapedeck record: \(error)")
            throw ExitStatus.harnessFailure
        }
        return cassette
    }

    /// What the recording holds, its validation, its page and its JUnit report; the exit status.
    func conclude(_ cassette: Cassette, catalog: SpecCatalog, started: Date) throws {
        let response = cassette.response
        print("\(out): HTTP \(response.status), \(response.recording.bytes.count) bytes in \(response.recording.chunkEnds.count) chunks, ended \(response.ending.rawValue)")
        if response.ending == .interrupted {
            printError("tapedeck record: interrupted; what had arrived is saved in \(out), marked ending `interrupted` (the response is not whole)")
            throw ExitStatus.interrupted
        }
        let report: ValidationReport
        do {
            report = try Validator.validate(cassette, catalog: catalog)
        } catch {
            printError("tapedeck record: the cassette is saved, but cannot be validated: \(error)")
            throw ExitStatus.harnessFailure
        }
        print(ValidationText.render([FileReport(path: out, surfaceReason: surface == nil ? "guessed from the URL" : "given", report: report)], strict: false), terminator: "")
        if !noReport {
            let page = URL(fileURLWithPath: self.report).appendingPathComponent("index.html").path
            do {
                try SessionPage.write(cassette, path: out, validation: report, to: page)
                print("report: \(page)")
            } catch {
                printError("tapedeck record: the cassette is saved, but \(error)")
                throw ExitStatus.harnessFailure
            }
        }
        if let junit {
            let file = ValidationJUnit.Timed(file: FileReport(path: out, surfaceReason: "recorded", report: report), duration: Date().timeIntervalSince(started))
            let options = ValidationJUnit.ReproductionOptions(surface: cassette.surface, dialect: cassette.dialect, request: nil, strict: false, specs: specOptions.specs)
            let run = ValidationJUnit.report(files: [file], unvalidated: [], options: options, startedAt: started, duration: file.duration)
            do {
                try JUnitWriter().write(run, to: junit)
                print("junit: \(junit)")
            } catch {
                printError("tapedeck record: the cassette is saved, but \(error)")
                throw ExitStatus.harnessFailure
            }
        }
        if !report.passes(strict: false) { throw ExitStatus.nonConformant }
    }

    /// The URL of a route the dialect's file names (`settings.routes`).
    static func routeURL(named name: String, dialect: String, catalog: SpecCatalog) throws -> String {
        guard let surface = catalog.surfaces(ofDialect: dialect).first else { throw SpecLoadError.unknownDialect(dialect, known: catalog.dialectIDs) }
        let routes = try catalog.resolve(surface: surface, dialect: dialect).settings.routes
        guard let route = routes.first(where: { $0.name == name }) else {
            throw ValidationError(routes.isEmpty
                ? "the \(dialect) dialect names no routes; give --url, or pass the --dialect whose routes you mean"
                : "the \(dialect) dialect has no route \(name); its routes: \(routes.map { "\($0.name) (\($0.url))" }.joined(separator: ", "))")
        }
        return route.url
    }

    /// The Socket.IO namespace the dialect's progress channel uses.
    static func progressNamespace(dialect: String, catalog: SpecCatalog) -> String {
        let specs = catalog.surfaces(ofDialect: dialect).compactMap { try? catalog.resolve(surface: $0, dialect: dialect).progress }
        return specs.first?.socketIO.namespace ?? "/image-progress"
    }

    /// The surface whose endpoint the URL's path reaches (Specs/surfaces/*.yaml), images.generate when none.
    static func surface(forURL url: String, catalog: SpecCatalog) -> String {
        catalog.surface(method: "POST", path: RequestURL.pathAndQuery(of: url)) ?? "images.generate"
    }
}
