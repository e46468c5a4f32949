import ArgumentParser
import Cassette
import Conformance
import Delivery
import Foundation
import ImageStreamSpec
import SSEWire

extension CassetteCommand {
    struct Replay: ParsableCommand {
        /// What a client sees of a stream: each event's type and data.
        static func events(_ bytes: [UInt8]) -> [String] {
            SSEParser.parse(bytes).events.map { $0.type + "\n" + $0.data }
        }

        static let configuration = CommandConfiguration(
            abstract: "Send each cassette's request to a server and check what comes back.",
            discussion: """
            For each cassette: sends its recorded request to --url, selecting the cassette by \
            name with a /c/<name> path prefix (and --scenario, when given, with /s/<scenario>), \
            compares the body received with the cassette's (the same bytes, or the same events \
            when the scenario rewrites line ends or adds heartbeats), and validates it against \
            the cassette's surface and dialect. Pointed at \
            `tapedeck serve --cassettes`, it proves replay is byte-exact whatever the delivery.

            A connection that ends early (closed before the body was done, reset) passes only \
            when the scenario asks for it (close-after-bytes, close-after-event, reset-after-bytes) \
            and what arrived is the start of the cassette's body. Each line says how many reads \
            the body took. The server must be plain HTTP (as `tapedeck serve` is).

            Exit 0 when every body matched (and, with --strict, conformed), 1 otherwise, 2 when a \
            request could not be made.

            Example:
              tapedeck serve --cassettes Cassettes --port 8080 &
              tapedeck cassette replay --url http://127.0.0.1:8080 --scenario chunking=adversarial Cassettes/*.cassette.json
            """
        )

        @Argument(help: ArgumentHelp("The cassettes to replay.", valueName: "cassette"))
        var paths: [String]

        @Option(help: ArgumentHelp("The server's address, such as http://127.0.0.1:8080.", valueName: "url"))
        var url: String

        @Option(help: ArgumentHelp("A delivery scenario for the server, such as chunking=adversarial,seed=7.", valueName: "scenario"))
        var scenario: String?

        @Flag(help: "Also fail when a response that should conform does not.")
        var strict = false

        @OptionGroup var specOptions: SpecOptions

        func run() throws {
            let catalog: SpecCatalog
            do {
                catalog = try SpecsLocation.load(explicit: specOptions.specs)
            } catch {
                printError("tapedeck cassette replay: \(error)")
                throw ExitStatus.harnessFailure
            }
            let cuts: Bool
            do {
                cuts = try scenario.map { try Scenario(parsing: $0) }?.faults.contains { fault in
                    switch fault {
                    case .closeAfterBytes, .closeAfterEvent, .resetAfterBytes: true
                    default: false
                    }
                } ?? false
            } catch {
                printError("tapedeck cassette replay: --scenario '\(scenario ?? "")': \(error)")
                throw ExitStatus.usage
            }
            var failures = 0
            for path in paths {
                do {
                    if try !replay(path, catalog: catalog, cuts: cuts) { failures += 1 }
                } catch {
                    printError("tapedeck cassette replay: \(path): \(error)")
                    throw ExitStatus.harnessFailure
                }
            }
            print("\(paths.count - failures) passed, \(failures) failed")
            if failures > 0 { throw ExitStatus.nonConformant }
        }

        private func replay(_ path: String, catalog: SpecCatalog, cuts: Bool) throws -> Bool {
            let cassette = try Cassette.load(from: path)
            let prefix = "/c/\(cassette.name)" + (scenario.map { "/s/\($0)" } ?? "")
            var received: [UInt8] = []
            var status = 0
            var reads = 0
            // The project's own client: it sees each read and how the connection ended.
            let ending = try LoopbackHTTP(timeout: 120).exchange(
                method: cassette.request.method, url: url + prefix + cassette.request.path,
                headers: [("Content-Type", "application/json")], body: Array((cassette.requestFieldsJSON ?? "").utf8),
                onHead: { status = $0.status },
                onBody: { piece in
                    received += piece
                    reads += 1
                    return true
                })
            let expected = cassette.response.recording.bytes
            let delivery = scenario.map { " via \($0)" } ?? ""
            guard ending == .complete else {
                // Only a scenario that cuts the connection may end it early, and then with a
                // part of the cassette's bytes.
                let endedAs = ending == .reset ? "reset" : ending == .timedOut ? "timed out" : "closed early"
                let prefixOfCassette = received.count <= expected.count && expected.starts(with: received)
                let expectedCut = cuts && ending != .timedOut && prefixOfCassette
                print("\(cassette.name)\(delivery): HTTP \(status), \(received.count) bytes in \(reads) reads, connection \(endedAs)"
                      + (expectedCut ? ", as the scenario cuts it, after the cassette's first \(received.count) bytes" : cuts ? ", NOT a prefix of the cassette" : ", which no fault asked for"))
                return expectedCut
            }
            let identical = received == expected
            // A scenario that rewrites bytes (line ends, heartbeats) must still carry the same events.
            let sameEvents = cassette.isEventStream && Self.events(received) == Self.events(expected)
            let spec = try catalog.resolve(surface: cassette.surface, dialect: cassette.dialect)
            let requestJSON = try cassette.requestFieldsJSON.map { try JSONValue.parse($0) }
            let report = Validator(spec: spec).validate(ValidationInput(request: requestJSON, requestIsForm: cassette.requestIsForm, response: cassette.isEventStream ? .stream(received) : .body(received)))
            let verdict = report.passes(strict: false) ? "conforms" : "does not conform (\(report.findings.filter { $0.level == .must }.map(\.ruleID).joined(separator: ", ")))"
            let comparison = identical ? "identical to the cassette" : sameEvents ? "the cassette's events, bytes rewritten by the scenario" : "DIFFERENT from the cassette (\(expected.count) bytes)"
            print("\(cassette.name)\(delivery): HTTP \(status), \(received.count) bytes in \(reads) reads, \(comparison), \(verdict)")
            return (identical || sameEvents) && (!strict || report.passes(strict: false))
        }
    }
}
