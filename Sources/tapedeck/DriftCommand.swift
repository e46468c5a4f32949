import ArgumentParser
import Cassette
import Conformance
import Drift
import Foundation
import ImageStreamSpec
import Recorder
import Reports

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Send each cassette's request to an upstream again and report how the answer changed.",
        discussion: """
        Has the provider changed under your cassettes? Each cassette's request is sent again \
        to --upstream (its path appended; its headers but the redacted ones, plus any -H), \
        recorded through libcurl as `tapedeck record` does, and compared with the cassette at \
        the level clients read: status, body kind, ending, event types and their order and \
        counts, the fields of each event type and their JSON kinds, `status` values, echoed \
        request settings, image format and pixel size, the [DONE] line, response headers. \
        IDs, times and image bytes differ on every call and are not compared.

        Each difference is graded:
          breaking  a client that worked on the cassette can fail now (status, body kind,
                    ending, an event type or field gone, a field's kind, image format,
                    [DONE] gone)
          notable   worth a look (event added, order, count, status values, echoes,
                    image size, [DONE] added)
          cosmetic  nothing a client reads (fields added, headers)
        `tapedeck drift --kinds` lists every kind with its grade.

        Writes run.json, junit.xml (a failure per cassette with a breaking difference, its \
        notable ones non-strict) and index.html into --out; with --save, the new recordings \
        too, as cassettes beside their old selves' names.

        Exit status: 0 when nothing breaking changed, 1 when something did, 2 when the \
        upstream cannot be reached or a cassette cannot be read.

        Examples:
          tapedeck drift --upstream https://api.openai.com -H "Authorization: Bearer $OPENAI_API_KEY" --filter '^responses-'
          tapedeck drift --upstream http://127.0.0.1:8080 Cassettes/images-generate-png-partial-2.cassette.json
        """
    )

    @Argument(help: ArgumentHelp("Cassettes to check (default: every cassette in --cassettes).", valueName: "cassette"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("The upstream's scheme and host (and any path prefix): each cassette's request path is appended.", valueName: "url"))
    var upstream: String?

    @Option(help: ArgumentHelp("The folder of cassettes to check when none is named (default: the nearest Cassettes/).", valueName: "folder"))
    var cassettes: String?

    @Option(help: ArgumentHelp("Only cassettes whose name matches this regular expression.", valueName: "regex"))
    var filter: String?

    @Option(name: .customShort("H"), help: ArgumentHelp("A request header, 'Name: value' (repeatable), such as the credential the cassette's redacted one stood for.", valueName: "header"))
    var header: [String] = []

    @Option(help: ArgumentHelp("The folder for run.json, junit.xml and index.html.", valueName: "folder"))
    var out: String = "Reports/drift"

    @Option(help: ArgumentHelp("Also keep each new recording here, as NAME.cassette.json.", valueName: "folder"))
    var save: String?

    @Option(help: "Stop a recording after this many seconds.")
    var maxTime: Double = 300

    @OptionGroup var connection: UpstreamOptions

    @Flag(help: "List every kind of difference with its grade, and exit.")
    var kinds = false

    @OptionGroup var redaction: RedactionOptions

    @Option(help: ArgumentHelp("The Specs folder (default: $TAPEDECK_SPECS, else the nearest Specs/).", valueName: "folder"))
    var specs: String?

    func validate() throws {
        if kinds { return }
        guard let upstream, upstream.hasPrefix("http://") || upstream.hasPrefix("https://") else {
            throw ValidationError("Give the upstream to ask again: --upstream http://HOST:PORT or https://api.openai.com.")
        }
        try HeaderLines.check(header)
    }

    func run() throws {
        if kinds {
            for kind in DriftDifference.kinds { print("\(kind.kind.padding(toLength: 20, withPad: " ", startingAt: 0)) \(kind.grade.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(kind.statement)") }
            return
        }
        let started = Date()
        let selected: [(cassette: Cassette, file: String)]
        let redactor: Redactor
        let catalog: SpecCatalog
        do {
            redactor = try redaction.redactor()
            catalog = try SpecsLocation.load(explicit: specs)
            selected = try selectCassettes()
        } catch {
            printError("tapedeck drift: \(error)")
            throw ExitStatus.harnessFailure
        }
        let uploads = UploadFiles(directory: FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-drift-\(getpid())").path)
        let recorder = Recorder(redactor: redactor, tool: "tapedeck \(TapedeckVersion.current)")
        var results: [ScenarioResult] = []
        for (cassette, file) in selected {
            let began = Date()
            let recording: Cassette
            do {
                recording = try recorder.record(try request(for: cassette, spec: try catalog.resolve(surface: cassette.surface, dialect: cassette.dialect), uploads: uploads))
            } catch {
                printError("tapedeck drift: \(cassette.name): \(error)")
                results.append(result(cassette, file: file, differences: [], duration: Date().timeIntervalSince(began), error: "\(error)"))
                continue
            }
            if let save {
                do {
                    try FileManager.default.createDirectory(atPath: save, withIntermediateDirectories: true)
                    try recording.save(to: save + "/" + cassette.name + Cassette.fileExtension)
                } catch {
                    printError("tapedeck drift: cannot keep the new recording of \(cassette.name): \(error)")
                    throw ExitStatus.harnessFailure
                }
            }
            let differences = DriftComparison.differences(cassette: cassette, upstream: recording)
            print(Self.text(cassette.name, differences))
            results.append(result(cassette, file: file, differences: differences, duration: Date().timeIntervalSince(began), error: nil))
        }
        let report = RunReport(tool: "tapedeck \(TapedeckVersion.current)", startedAt: ISO8601DateFormatter().string(from: started),
                               duration: Date().timeIntervalSince(started),
                               client: ClientInfo(mode: "upstream", name: redactor.url(upstream!), capabilities: []),
                               selection: "\(selected.count) cassette\(selected.count == 1 ? "" : "s")", results: results)
        try RunReportFiles.write(report, to: out, strict: false, command: "drift")
        let breaking = results.filter { $0.verdict == .fail }.count, notable = results.filter { $0.verdict == .nonStrict }.count
        let errors = results.filter { $0.verdict == .error }.count
        print("\n\(selected.count) cassettes: \(breaking) with breaking differences, \(notable) with notable ones only, \(errors) not recorded.")
        print("reports: \(out)/index.html, \(out)/junit.xml, \(out)/run.json")
        if errors > 0 { throw ExitStatus.harnessFailure }
        if breaking > 0 { throw ExitStatus.nonConformant }
    }

    func selectCassettes() throws -> [(cassette: Cassette, file: String)] {
        let files: [String]
        if paths.isEmpty {
            let folder = try cassettes ?? ProjectFolder.find("Cassettes", containing: "README.md", option: "--cassettes")
            files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(Cassette.fileExtension) }.sorted().map { folder + "/" + $0 }
        } else {
            files = paths
        }
        var selected = try files.map { file in (cassette: try Cassette.load(from: file), file: file) }
        if let filter {
            let pattern = try Regex(filter)
            selected = selected.filter { $0.cassette.name.contains(pattern) }
            guard !selected.isEmpty else { throw ValidationError("--filter '\(filter)' matches none of the \(files.count) cassettes") }
        }
        guard !selected.isEmpty else { throw ValidationError("no cassette to check: name some, or point --cassettes at a folder of them") }
        return selected
    }

    /// The cassette's request again: its method, path, headers (but those redacted and those
    /// libcurl sets) and body; a form's files as real images of their content type, and a JSON
    /// object of strings for a form-taking surface sent as the form it stands for.
    func request(for cassette: Cassette, spec: ResolvedSpec, uploads: UploadFiles) throws -> Recorder.Request {
        let base = upstream!.hasSuffix("/") ? String(upstream!.dropLast()) : upstream!
        var body = ""
        var form: FormBody?
        switch cassette.request.body {
        case .none: break
        case .json(let text):
            if let json = try? JSONValue.parse(text), spec.readsAsForm(json), let members = json.object {
                form = FormBody(fields: members.keys.sorted().map { ($0, members[$0]!.string!) })
            } else {
                body = text
            }
        case .form(let fields, let files):
            form = FormBody(fields: fields, files: try files.map { ($0.name, try uploads.file(contentType: $0.contentType), $0.contentType) })
        }
        var request = Recorder.Request(url: base + cassette.request.path, body: body, name: cassette.name, surface: cassette.surface)
        request.method = cassette.request.method
        request.dialect = cassette.dialect
        request.form = form
        let given = HeaderLines.pairs(header)
        let setByCurl: Set<String> = ["host", "content-length", "connection", "transfer-encoding", "accept-encoding"]
        let kept = cassette.request.headers.filter { recorded in
            !recorded.value.contains(Redactor.placeholder) && !setByCurl.contains(recorded.name.lowercased())
                && !(form != nil && recorded.name.lowercased() == "content-type")
                && !given.contains { $0.0.lowercased() == recorded.name.lowercased() }
        }
        request.headers = kept.map { ($0.name, $0.value) } + given
        request.connectTimeout = connection.connect
        request.idleTimeout = connection.idle
        request.maxTime = .milliseconds(Int64(maxTime * 1000))
        request.caCertificate = connection.cacert
        request.insecure = connection.insecure
        return request
    }

    func result(_ cassette: Cassette, file: String, differences: [DriftDifference], duration: Double, error: String?) -> ScenarioResult {
        let verdict: Verdict = error != nil ? .error : differences.contains { $0.grade == .breaking } ? .fail : differences.contains { $0.grade == .notable } ? .nonStrict : .pass
        return ScenarioResult(
            id: cassette.name, surface: cassette.surface, dialect: cassette.dialect, strategy: "drift", scenario: "upstream",
            source: cassette.name, file: file, verdict: verdict, duration: duration, reason: error.map { "the upstream did not answer: \($0)" },
            violations: differences.map { difference in
                Violation(ruleID: difference.kind, level: difference.grade.level,
                          statement: "\(difference.grade.rawValue): \(DriftDifference.statement(of: difference.kind)) (\(difference.place))",
                          source: "tapedeck drift --kinds", expected: difference.cassette, observed: difference.upstream)
            },
            reproduction: "tapedeck drift --upstream '\(upstream!)' '\(file)'")
    }

    static func text(_ name: String, _ differences: [DriftDifference]) -> String {
        guard !differences.isEmpty else { return "\(name): unchanged" }
        let counts = DriftGrade.allCases.compactMap { grade -> String? in
            let count = differences.filter { $0.grade == grade }.count
            return count == 0 ? nil : "\(count) \(grade.rawValue)"
        }
        var lines = ["\(name): \(counts.joined(separator: ", "))"]
        for difference in differences {
            lines.append("  \(difference.grade.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(difference.kind) \(difference.place): \(Self.elide(difference.cassette)) → \(Self.elide(difference.upstream))")
        }
        return lines.joined(separator: "\n")
    }

    static func elide(_ text: String) -> String {
        text.count <= 120 ? text : String(text.prefix(117)) + "…"
    }
}
