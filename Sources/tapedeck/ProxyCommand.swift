import ArgumentParser
import Cassette
import Delivery
import Foundation
import ImageStreamSpec
import MockServer
import Proxy
import Recorder

struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "A local recording proxy: forward to an upstream API and record, or replay from cassettes.",
        discussion: """
        Point a client's base URL at the printed address (the first line of output), e.g. \
        OPENAI_BASE_URL=http://127.0.0.1:PORT/v1. Each request is either replayed from a \
        cassette in --cassettes, or forwarded to --upstream through libcurl, its response \
        streamed back chunk by chunk as it arrives (never held whole) while it is recorded \
        into a cassette, with the same format and redaction as `tapedeck record`. The cassette \
        is written (atomically) before the response's end is sent: a client that saw the end \
        can send the request again and have it replayed.

        A request's cassette is NAME.cassette.json, NAME being its surface with dots as dashes \
        and a 12-digit hash of the method, path and query, and body fields (secrets redacted \
        first; headers left out), e.g. images-generate-3fa91c0b52de. A cassette matches a \
        request when their hashes are equal, whatever the file is called.

        Record modes, as in vcrpy (the folder plays vcrpy's cassette file):
          once          (the default) an empty folder is recorded into; a folder that
                        held cassettes at start replays matches and refuses the rest
          new-episodes  replay matches, record the rest
          none          replay only; a miss gets a 404 OpenAI-shaped error naming
                        the nearest cassette and how its fields differ
          all           record every request, replacing its cassette

        Replays go through the same delivery engine as `tapedeck serve`: by default with the \
        recorded chunks and timing (chunking=recorded); a /s/<scenario> prefix on the path \
        picks another delivery, and /c/<name> replays a named cassette. Recordings are \
        streamed through as they arrive; a scenario prefix does not alter them.

        The upstream is asked for an uncompressed body (Accept-Encoding is not forwarded), so \
        a cassette holds what a client parses. An upstream error is relayed with its status \
        and body, and recorded. An upstream that cannot be reached (DNS, connection, TLS) \
        gets a 502 OpenAI-shaped error naming the upstream and the cause; --record-failures \
        also records it. Paths other than the three image surfaces are forwarded, not \
        recorded.

        Ctrl-C (or SIGTERM) stops accepting connections and lets the streams in flight finish \
        and be saved, for at most --drain-timeout seconds (30); a second Ctrl-C cuts them.

        Examples:
          tapedeck proxy --upstream https://api.openai.com --cassettes Cassettes/recorded --port 8080
          OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=sk-... your-client
          tapedeck proxy --upstream https://gateway.test:8443 --cacert ca.pem --cassettes rec --record-mode new-episodes
          tapedeck proxy --upstream http://unused.invalid --cassettes rec --record-mode none
        """
    )

    @Option(help: ArgumentHelp("The upstream's origin (and optional path prefix); a request's path is appended.", valueName: "url"))
    var upstream: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port = 0

    @Option(help: ArgumentHelp("The folder cassettes are replayed from and recorded into (created when needed).", valueName: "folder"))
    var cassettes: String

    @Option(help: ArgumentHelp("once, new-episodes, none or all.", valueName: "mode"))
    var recordMode: String = RecordMode.once.rawValue

    @OptionGroup var connection: UpstreamOptions

    @Flag(help: "Record a cassette also when the upstream cannot be reached: the 502 the client got, ending `failed`.")
    var recordFailures = false

    @Option(help: ArgumentHelp("Also record the upstream's progress socket beside each recorded exchange: ws://HOST:PORT/socket.io/?EIO=4&transport=websocket (Socket.IO) or ws://HOST:PORT/ws. Each recording opens its own socket before the request goes upstream.", valueName: "url"))
    var progress: String?

    @Option(help: ArgumentHelp("The Socket.IO namespace to join on --progress (default: the dialect's, such as /image-progress).", valueName: "namespace"))
    var progressNamespace: String?

    @Option(help: ArgumentHelp("At most this many seconds to keep the progress socket open after the answer, for a completion that comes late (it closes at the completion).", valueName: "seconds"))
    var progressLinger: Double = 1

    @OptionGroup var redaction: RedactionOptions

    @Option(help: "On Ctrl-C or SIGTERM, let streams in flight finish and be saved for at most this many seconds (a second Ctrl-C cuts them).")
    var drainTimeout: Double = 30

    @Flag(help: "Print only the URL, no line per request.")
    var quiet = false

    @OptionGroup var specOptions: SpecOptions

    func validate() throws {
        guard RecordMode(rawValue: recordMode) != nil else {
            throw ValidationError("--record-mode takes \(RecordMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(recordMode).")
        }
        guard let url = URL(string: upstream), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ValidationError("--upstream takes an http:// or https:// URL, such as https://api.openai.com.")
        }
        guard drainTimeout >= 0, drainTimeout.isFinite else {
            throw ValidationError("--drain-timeout takes a number of seconds, 0 or more.")
        }
    }

    func run() async throws {
        let server: MockServer
        let proxy: RecordingProxy
        do {
            var settings = RecordingProxy.Configuration(upstream: upstream, cassettes: cassettes, redactor: try redaction.redactor())
            settings.mode = RecordMode(rawValue: recordMode)!
            settings.dialect = specOptions.dialect
            settings.caCertificate = connection.cacert
            settings.insecure = connection.insecure
            settings.recordFailures = recordFailures
            settings.connectTimeout = connection.connect
            settings.idleTimeout = connection.idle
            if !quiet { settings.log = { line in ServeCommand.printLine(line) } }
            let catalog = try SpecsLocation.load(explicit: specOptions.specs)
            if let progress {
                let dialect = specOptions.dialect
                let spec = catalog.surfaces(ofDialect: dialect).lazy.compactMap { try? catalog.resolve(surface: $0, dialect: dialect).progress }.first
                let transport: ProgressRecording.Transport = progress.contains("/socket.io/") || progress.contains("EIO=") ? .socketIO : .webSocket
                settings.progress = .init(
                    url: progress, namespace: progressNamespace ?? spec?.socketIO.namespace ?? "/image-progress",
                    linger: .milliseconds(Int64(max(0, progressLinger) * 1000)),
                    isLast: { text in
                        guard let spec, let message = try? ProgressReading.message(in: text, transport: transport, spec: spec) else { return false }
                        return message.kind == .complete
                    })
            }
            proxy = try RecordingProxy(configuration: settings, tool: "tapedeck \(TapedeckVersion.current)")
            var configuration = MockServer.Configuration()
            configuration.host = host
            configuration.port = port
            configuration.dialect = specOptions.dialect
            configuration.defaultScenario = try Scenario(parsing: "chunking=recorded")
            configuration.interceptor = proxy
            server = try await MockServer(configuration: configuration, catalog: catalog)
        } catch {
            printError("tapedeck proxy: \(error)")
            throw ExitStatus.harnessFailure
        }
        ServeCommand.printLine(server.baseURL)
        if !quiet {
            ServeCommand.printLine("proxying \(proxy.configuration.redactor.url(upstream)), record mode \(recordMode), \(proxy.cassetteCount) cassette(s) in \(cassettes); OPENAI_BASE_URL=\(server.baseURL)/v1; Ctrl-C stops")
        }
        let drain = Duration.milliseconds(Int64(drainTimeout * 1000))
        let signals = ServeCommand.stopOnSignals(bound: drain + .seconds(2)) { [quiet, drainTimeout] in
            let underWay = server.responsesUnderWay
            if underWay > 0, !quiet {
                ServeCommand.printLine("stopping: \(underWay) stream(s) in flight get up to \(drainTimeout.formatted()) s to finish and be saved; Ctrl-C again cuts them")
            }
            await server.stop(grace: drain)
        }
        defer { withExtendedLifetime(signals) {} }
        try await server.run()
    }
}
