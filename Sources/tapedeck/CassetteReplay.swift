import ArgumentParser
import Cassette
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ImageStreamSpec
import SSEWire

extension CassetteCommand {
    struct Replay: AsyncParsableCommand {
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

        func run() async throws {
            let catalog: SpecCatalog
            do {
                catalog = try SpecsLocation.load(explicit: specOptions.specs)
            } catch {
                printError("tapedeck cassette replay: \(error)")
                throw ExitStatus.harnessFailure
            }
            var failures = 0
            for path in paths {
                do {
                    if try await !replay(path, catalog: catalog) { failures += 1 }
                } catch {
                    printError("tapedeck cassette replay: \(path): \(error)")
                    throw ExitStatus.harnessFailure
                }
            }
            print("\(paths.count - failures) passed, \(failures) failed")
            if failures > 0 { throw ExitStatus.nonConformant }
        }

        private func replay(_ path: String, catalog: SpecCatalog) async throws -> Bool {
            let cassette = try Cassette.load(from: path)
            let prefix = "/c/\(cassette.name)" + (scenario.map { "/s/\($0)" } ?? "")
            guard let target = URL(string: url + prefix + cassette.request.path) else {
                throw UsageProblem("'\(url)' is not a URL")
            }
            var request = URLRequest(url: target)
            request.httpMethod = cassette.request.method
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = cassette.requestFieldsJSON.map { Data($0.utf8) }
            request.timeoutInterval = 120
            let received: [UInt8]
            let status: Int
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                received = [UInt8](data)
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
            } catch {
                print("\(cassette.name): connection failed (\(error.localizedDescription)); a fault scenario may end it early")
                return scenario != nil
            }
            let expected = cassette.response.recording.bytes
            let identical = received == expected
            // A scenario that rewrites bytes (line ends, heartbeats) must still carry the same events.
            let sameEvents = cassette.isEventStream && Self.events(received) == Self.events(expected)
            let spec = try catalog.resolve(surface: cassette.surface, dialect: cassette.dialect)
            let requestJSON = try cassette.requestFieldsJSON.map { try JSONValue.parse($0) }
            let report = Validator(spec: spec).validate(ValidationInput(request: requestJSON, requestIsForm: cassette.requestIsForm, response: cassette.isEventStream ? .stream(received) : .body(received)))
            let verdict = report.passes(strict: false) ? "conforms" : "does not conform (\(report.findings.filter { $0.level == .must }.map(\.ruleID).joined(separator: ", ")))"
            let delivery = scenario.map { " via \($0)" } ?? ""
            let comparison = identical ? "identical to the cassette" : sameEvents ? "the cassette's events, bytes rewritten by the scenario" : "DIFFERENT from the cassette (\(expected.count) bytes)"
            print("\(cassette.name)\(delivery): HTTP \(status), \(received.count) bytes, \(comparison), \(verdict)")
            return (identical || sameEvents) && (!strict || report.passes(strict: false))
        }
    }
}
