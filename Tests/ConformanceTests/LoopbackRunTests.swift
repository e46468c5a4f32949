@testable import Conformance
import Delivery
import Foundation
import Reports
import Testing

/// The runner end to end over loopback: the in-process server, real clients.
@Suite(.serialized)
struct LoopbackRunTests {
    static func run(
        _ driver: any ClientDriver,
        filter: String,
        capabilities: [String] = ClientCapabilities.all,
        // A bound for a hung client, not an expectation: passing clients never wait for it, and
        // on a loaded machine (a build beside the tests) a first answer can take seconds.
        timeout: Double = 120,
        chunkings: [String] = SuiteSelection.defaultChunkings
    ) async throws -> [ScenarioResult] {
        var selection = SuiteSelection()
        selection.filter = filter
        selection.chunkings = chunkings
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: try Fixtures.wireCases(), selection: selection)
        var configuration = ConformanceRunner.Configuration()
        configuration.capabilities = capabilities
        configuration.timeout = timeout
        configuration.workDirectory = Fixtures.temporaryFolder()
        return try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: driver)
    }

    @Test("The reference client passes every surface, fault and WHATWG case of a slice of the suite")
    func referenceClientPasses() async throws {
        let results = try await Self.run(ReferenceClient(), filter: "^(images-generate-png-partial-2|images-edit-png-partial-1|responses-png-partial-1|images-generate-json-n2|images-generate-apiyi|wpt-.*)@")
        // The slice is what the test's name says: every surface, every chunking, every fault
        // and rewrite of the default suite, and the WHATWG cases, all passed.
        #expect(Set(results.map(\.surface)) == ["images.generate", "images.edit", "responses", "sse"])
        #expect(Set(SuiteSelection.defaultChunkings).isSubset(of: Set(results.map(\.strategy))))
        let faults = Set(results.flatMap(\.faults))
        // url-image faults need a cassette that answers with URLs; RealityTests covers them.
        for variation in SuiteSelection.defaultVariations where variation != "none" && !variation.contains("url-image") {
            for fault in try Scenario(parsing: variation).faults {
                #expect(faults.contains(fault.description), "no scenario with \(fault)")
            }
        }
        #expect(results.contains { $0.source.hasPrefix("wpt-") && $0.strategy == "bytes" })
        let failures = results.filter { $0.verdict != .pass }
        #expect(failures.isEmpty, "\(failures.prefix(3).map { "\($0.id): \($0.violations.first?.observed ?? $0.reason ?? "")" })")
    }

    @Test("A naive client in command mode fails exactly where it is naive")
    func naiveClientFails() async throws {
        let results = try await Self.run(
            CommandClient(command: "python3 '\(Fixtures.naiveClient)'"),
            filter: "^images-generate-png-partial-2@(default|fault=truncate-final-image|fault=drop-final|fault=status:500|eol=cr)$",
            capabilities: ["images.generate"]
        )
        let verdicts = Dictionary(uniqueKeysWithValues: results.map { ($0.id.split(separator: "@").last.map(String.init) ?? "", $0) })
        #expect(verdicts["default"]?.verdict == .pass)
        #expect(verdicts["fault=truncate-final-image"]?.violations.map(\.ruleID) == ["CLIENT-004", "CLIENT-005"])
        #expect(verdicts["fault=drop-final"]?.violations.map(\.ruleID) == ["CLIENT-004"])
        #expect(verdicts["fault=status:500"]?.violations.map(\.ruleID) == ["CLIENT-004"])
        #expect(verdicts["eol=cr"]?.violations.first?.ruleID == "CLIENT-002")
        let failed = try #require(verdicts["fault=drop-final"])
        #expect(failed.reproduction.contains("--filter '^images-generate-png-partial-2@fault=drop-final$'"))
        #expect(failed.wireExcerpt.contains("data: {"))
        // Scenarios that fail keep their trace: the truncated final image shows in the filmstrip,
        // and the events the client did surface are marked.
        let truncated = try #require(verdicts["fault=truncate-final-image"]?.trace)
        #expect(truncated.images.map(\.status) == [.ok, .ok, .truncated])
        #expect(truncated.events.allSatisfy { $0.surfaced == true })
        #expect(try #require(verdicts["eol=cr"]?.trace).events.allSatisfy { $0.surfaced == false })
    }

    @Test("Service mode gives the same verdicts with one process")
    func serviceMode() async throws {
        let folder = Fixtures.temporaryFolder()
        let service = ServiceClient(command: "python3 '\(Fixtures.naiveClient)'", slots: 1, logDirectory: folder)
        let hello = try await service.start(timeout: 20)
        #expect(hello.name == "naive")
        #expect(hello.capabilities == ["images.generate"])
        let results = try await Self.run(service, filter: "^images-generate-png-partial-2@(default|fault=drop-final)$", capabilities: hello.capabilities)
        await service.shutdown()
        #expect(results.map(\.verdict) == [.pass, .fail])
    }

    @Test("A client that hangs is killed at the timeout and fails CLIENT-008; one that cannot start is a harness error")
    func hangsAndMissing() async throws {
        let started = ContinuousClock.now
        let hung = try await Self.run(CommandClient(command: "sleep 30"), filter: "^images-generate-png-partial-2@default$", timeout: 1)
        #expect(started.duration(to: .now) < .seconds(10))
        #expect(hung.first?.violations.map(\.ruleID) == ["CLIENT-008"])
        let missing = try await Self.run(CommandClient(command: "/nonexistent/client"), filter: "^images-generate-png-partial-2@default$")
        #expect(missing.first?.verdict == .error)
        #expect(missing.first?.reason?.contains("could not be started") == true)
    }

    @Test("Malformed observations are a harness error that names the file")
    func malformedObservations() async throws {
        let results = try await Self.run(CommandClient(command: "echo 'not json' > \"$TAPEDECK_OUTPUT/events.jsonl\""), filter: "^images-generate-png-partial-2@default$")
        #expect(results.first?.verdict == .error)
        #expect(results.first?.reason?.contains("events.jsonl:1") == true)
    }

    @Test("Scenarios needing an undeclared capability are skipped with the reason")
    func skipped() async throws {
        let results = try await Self.run(ReferenceClient(), filter: "^responses-png-partial-1@default$", capabilities: ["images.generate"])
        #expect(results.first?.verdict == .skipped)
        #expect(results.first?.reason == "the client does not declare the capability responses")
    }
}
