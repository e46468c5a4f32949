import ArgumentParser
import Conformance
import Cassette
import Delivery
import Dispatch
import Foundation
import ImageStreamSpec
import MockServer
import Synchronization

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve OpenAI-style image endpoints on loopback: replay cassettes, synthesize, and fuzz delivery.",
        discussion: """
        Point any client's base URL at the printed address (the first line of output), e.g. \
        OPENAI_BASE_URL=http://127.0.0.1:PORT/v1. Routes: POST /v1/images/generations, \
        POST /v1/images/edits (multipart/form-data as the SDKs send it, or JSON), POST /v1/responses.

        With --cassettes, a request replays the first cassette whose method, path and match \
        fields (--match; default: stream, partial_images, size, quality, output_format, \
        background, n) equal its own. With --synthesize, any valid request is answered with a \
        stream (or body) made from the spec for its parameters, carrying real images of the \
        asked format and size. Otherwise: 404 naming the nearest cassette. Invalid requests get \
        400 with an OpenAI-shaped error.

        Delivery: the options below set the default scenario; a request selects its own by \
        prefixing the path: http://127.0.0.1:PORT/s/<scenario>/v1, where <scenario> is the same \
        settings written as key=value items separated by commas, e.g. \
        /s/chunking=adversarial,seed=7,fault=close-after-event:1/v1. Every response is a pure \
        function of (cassette or request, scenario, seed), and each log line carries a command \
        that reproduces it.

        Progress: for a dialect with a progress channel (the gateway's /image-progress \
        namespace), the server also accepts Socket.IO v4 sockets at \
        ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket (namespace /image-progress) \
        and plain WebSockets at ws://127.0.0.1:PORT/ws (ComfyUI-shaped messages). While a \
        socket listens, each image request of that dialect is a job: its answer waits the \
        generation's time (2 s times time-scale), names the job in x-job-id, and every socket \
        hears its percentages rising to 100, then a completion. fault=progress:… breaks them \
        (see docs/client-contract.md, "Progress"); a cassette's recorded progress is replayed \
        as recorded.

        Stop with Ctrl-C or SIGTERM.

        Examples:
          tapedeck serve --synthesize --port 8080
          tapedeck serve --cassettes Cassettes --chunking adversarial --seed 7
          tapedeck serve --synthesize --fault truncate-final-image --framing close
          tapedeck serve --synthesize --shape live --images full-size
          tapedeck serve --cassettes Cassettes --fault progress:stall@40
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port = 0

    @Option(help: ArgumentHelp("Replay the cassettes (*.cassette.json) in this folder.", valueName: "folder"))
    var cassettes: String?

    @Flag(help: "Answer any valid request with a response synthesized from the spec.")
    var synthesize = false

    @Option(help: ArgumentHelp("How the body is cut into writes: recorded, whole, bytes, fixed:N, random, adversarial.", valueName: "mode"))
    var chunking = "whole"

    @Option(help: "The seed for random chunk sizes, adversarial cuts, and synthesized pictures.")
    var seed: UInt64 = 0

    @Option(help: "With --chunking recorded: multiply the recorded delays by this.")
    var timeScale: Double = 1

    @Flag(help: "With --chunking recorded: keep the recorded boundaries, drop the delays.")
    var noDelay = false

    @Option(help: ArgumentHelp("The least time between two writes, such as 2ms, so slow clients still read each fragment on its own.", valueName: "time"))
    var pace: String?

    @Option(help: ArgumentHelp("Rewrite every line end of the stream: lf, crlf or cr.", valueName: "ending"))
    var eol: String?

    @Option(help: ArgumentHelp("Insert a `: keep-alive` comment before every Nth event.", valueName: "n"))
    var heartbeat: Int?

    @Option(help: ArgumentHelp("HTTP framing: chunked, length (Content-Length) or close (close-delimited).", valueName: "framing"))
    var framing = "chunked"

    @Option(help: ArgumentHelp("A fault to inject (repeatable), e.g. close-after-bytes:N, close-after-event:K, reset-after-bytes:N, stall:2s@N, silence:90s@0:comments=15s, status:503:retry-after=2, error-event:nested@K, response-failed@K, drop-final, truncate-final-image, duplicate:K, swap:I:J, fewer-partials:N, ping@K, bom, id-lines. An event index K below 0 counts from the end: error-event:nested@-2 comes just before the final event.", valueName: "fault"))
    var fault: [String] = []

    @Option(help: ArgumentHelp("The response's shape: documented, or live (as api.openai.com really sends it: on the Responses API no image_generation_call.completed, the finished item left at status generating, no [DONE], and a partial image equal to the final one when none was asked). Surfaces without a live shape in Specs/ are served as documented.", valueName: "shape"))
    var shape = "documented"

    @Option(help: ArgumentHelp("original, or full-size: every image replaced by a real image of its format and pixel size that does not compress, as large as the real API's (a 1024x1024 PNG is a 4 MB base64 line).", valueName: "images"))
    var images = "original"

    @Option(help: ArgumentHelp("Request fields a cassette must match, comma-separated.", valueName: "fields"))
    var match: String?

    @Option(help: "Refuse request bodies larger than this many bytes (413).")
    var maxRequestBytes = 64 << 20

    @Option(help: "Close a connection whose request head is still incomplete this many seconds after its first byte (slow-header clients). Idle connections are not affected.")
    var headerTimeout: Double = 30

    @Option(help: ArgumentHelp("Ping progress sockets every this many seconds (Engine.IO's pingInterval; default: the dialect's, 25).", valueName: "seconds"))
    var progressPingInterval: Double?

    @Option(help: ArgumentHelp("Drop a progress socket that has not answered a ping within this many seconds (Engine.IO's pingTimeout; default: the dialect's, 20).", valueName: "seconds"))
    var progressPingTimeout: Double?

    @Option(help: ArgumentHelp("Hold at most this many MiB of response bodies for clients at once.", discussion: "A body is held until the client has read it, so clients that stop reading would otherwise hold the server's memory. Equal answers (same cassette or synthesis, same scenario) share one body; a request whose answer does not fit waits up to --delivery-wait seconds, then gets 503 server_busy.", valueName: "MiB"))
    var deliveryMemory = 1024

    @Option(help: ArgumentHelp("How many seconds a request waits for room under --delivery-memory before a 503.", valueName: "seconds"))
    var deliveryWait: Double = 30

    @Option(help: ArgumentHelp("Serve the WHATWG parsing cases (*.sse) in this folder at GET /v1/events/<name>, delivered through the scenario like any stream (default: wire/ in the --cassettes folder, else the checkout's Cassettes/wire).", valueName: "folder"))
    var wire: String?

    @Flag(help: "Print only the URL, no line per request.")
    var quiet = false

    @OptionGroup var specOptions: SpecOptions

    /// The default scenario, written in the same grammar a URL uses.
    var scenarioText: String {
        var items = ["chunking=\(chunking)", "seed=\(seed)", "framing=\(framing)", "shape=\(shape)", "images=\(images)"]
        if let eol { items.append("eol=\(eol)") }
        if let heartbeat { items.append("heartbeat=\(heartbeat)") }
        if let pace { items.append("pace=\(pace)") }
        if noDelay { items.append("time-scale=0") } else if timeScale != 1 { items.append("time-scale=\(timeScale)") }
        items += fault.map { "fault=\($0)" }
        return items.joined(separator: ",")
    }

    func validate() throws {
        do {
            _ = try Scenario(parsing: scenarioText)
        } catch {
            throw ValidationError("\(error)")
        }
        if cassettes == nil, !synthesize {
            throw ValidationError("Give --cassettes FOLDER, --synthesize, or both: otherwise every request would be a 404.")
        }
    }

    func run() async throws {
        MemoryTuning.returnLargeBlocks()
        var configuration = MockServer.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.synthesize = synthesize
        configuration.dialect = specOptions.dialect
        configuration.maxRequestBytes = maxRequestBytes
        guard headerTimeout > 0 else { throw ValidationError("--header-timeout must be more than 0 seconds, not \(headerTimeout)") }
        configuration.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        guard deliveryMemory > 0 else { throw ValidationError("--delivery-memory must be at least 1 MiB, not \(deliveryMemory)") }
        configuration.deliveryMemory = deliveryMemory << 20
        guard deliveryWait >= 0 else { throw ValidationError("--delivery-wait must be 0 seconds or more, not \(deliveryWait)") }
        configuration.deliveryWait = .milliseconds(Int64(deliveryWait * 1000))
        if let match { configuration.matchFields = match.split(separator: ",").map(String.init) }
        configuration.defaultScenario = try Scenario(parsing: scenarioText)
        if progressPingInterval != nil || progressPingTimeout != nil {
            let interval = progressPingInterval ?? 25, timeout = progressPingTimeout ?? 20
            guard interval > 0, timeout > 0 else { throw ValidationError("--progress-ping-interval and --progress-ping-timeout must be more than 0 seconds") }
            configuration.progressHeartbeat = (.milliseconds(Int64(interval * 1000)), .milliseconds(Int64(timeout * 1000)))
        }
        if !quiet { configuration.log = { line in Self.printLine(line) } }
        let server: MockServer
        do {
            let catalog = try SpecsLocation.load(explicit: specOptions.specs)
            guard catalog.dialectIDs.contains(specOptions.dialect) else {
                throw SpecLoadError.unknownDialect(specOptions.dialect, known: catalog.dialectIDs)
            }
            if let cassettes {
                // One bad cassette does not keep the others from being served; a folder where none loads does.
                let found = try Cassette.loadEach(in: cassettes)
                for failure in found.failures { printError("tapedeck serve: warning: skipped \(failure)") }
                if found.cassettes.isEmpty, let failure = found.failures.first { throw failure }
                configuration.cassettes = found.cassettes
            }
            configuration.eventStreams = try Self.wireStreams(explicit: wire, cassettes: cassettes)
            server = try await MockServer(configuration: configuration, catalog: catalog)
        } catch {
            printError("tapedeck serve: \(error)")
            throw ExitStatus.harnessFailure
        }
        Self.printLine(server.baseURL)
        if !quiet {
            let wireCases = configuration.eventStreams.isEmpty ? nil : "\(configuration.eventStreams.count) WHATWG cases at GET /v1/events/<name>"
            let source = [cassettes.map { "\(configuration.cassettes.count) cassette(s) from \($0)" }, synthesize ? "synthesis" : nil, wireCases].compactMap { $0 }.joined(separator: " and ")
            Self.printLine("serving \(source), dialect \(specOptions.dialect), scenario \(scenarioText); OPENAI_BASE_URL=\(server.baseURL)/v1; Ctrl-C stops")
            for spec in server.progressSpecs {
                let socketURL = server.baseURL.replacing("http://", with: "ws://")
                Self.printLine("progress sockets: \(socketURL)\(spec.socketIO.path)?EIO=4&transport=websocket (Socket.IO, namespace \(spec.socketIO.namespace)) and \(socketURL)\(spec.webSocket.path) (WebSocket); jobs named in \(spec.jobHeader)")
            }
        }
        let signals = Self.stopOnSignals {
            await server.stop(grace: .zero)
            await server.shutdown()
        }
        // The signal sources must outlive the server, or optimized builds release them at once.
        defer { withExtendedLifetime(signals) {} }
        try await server.run()
    }

    /// The WHATWG cases by name: from the folder given (which must hold some), else from the
    /// usual places when they exist, else none.
    static func wireStreams(explicit: String?, cassettes: String?) throws -> [String: [UInt8]] {
        let folder = explicit ?? [cassettes.map { $0 + "/wire" }, ProjectFolder.nearest("Cassettes/wire", containing: "wpt-format-bom.sse")]
            .compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
        guard let folder else { return [:] }
        let cases = try WireCase.load(from: folder)
        if explicit != nil, cases.isEmpty { throw SuiteError.unreadable(folder, reason: "it holds no *.sse file") }
        return Dictionary(cases.map { ($0.name, $0.bytes) }, uniquingKeysWith: { first, _ in first })
    }

    /// Prints and flushes at once, so a script reading the first line sees it immediately.
    static func printLine(_ line: String) {
        print(line)
        fflush(nil)
    }

    /// SIGINT and SIGTERM run `stop` and end the process when it returns, or `bound` after the
    /// signal whatever a stuck connection does; a second signal ends it at once (status 130).
    /// `serve` stops at once (clients mid-stream see their connection close, as with any server
    /// that stops); `proxy` first lets the streams it is recording finish.
    static func stopOnSignals(bound: Duration = .seconds(2), _ stop: @escaping @Sendable () async -> Void) -> [any DispatchSourceSignal] {
        let stopping = Mutex(false)
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let again = stopping.withLock { stopping in
                    defer { stopping = true }
                    return stopping
                }
                if again { Foundation.exit(130) }
                Task {
                    await stop()
                    Foundation.exit(0)
                }
                let (seconds, attoseconds) = bound.components
                DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) / 1e18) { Foundation.exit(0) }
            }
            source.resume()
            return source
        }
    }
}
