import Foundation
import ImageStreamSpec
import Testing

@Suite("Specs/ is data, loaded at run time")
struct CatalogTests {
    @Test("The bundled Specs/ has every surface and dialect, with unique rule IDs")
    func bundled() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.surfaceIDs == ["images.edit", "images.generate", "responses"])
        #expect(catalog.dialectIDs == ["aiswing", "apiyi", "azure", "gateway", "openai"])
        let rules = try catalog.allRules()
        #expect(Set(rules.map(\.id)).count == rules.count)
        for rule in rules {
            #expect(rule.id.wholeMatch(of: /[A-Z]+(-[A-Z]+)?-\d{3}/) != nil, "\(rule.id) is not of the form FAMILY-NNN")
            #expect(!rule.statement.isEmpty && !rule.source.isEmpty, "\(rule.id) lacks a statement or a source")
        }
    }

    @Test("A dialect switches rules off and changes settings", arguments: [("azure", "RESP-010", RuleLevel.off), ("openai", "RESP-010", .info)])
    func overlays(dialect: String, rule: String, level: RuleLevel) throws {
        let spec = try Fixtures.catalog().resolve(surface: "responses", dialect: dialect)
        #expect(spec.rules.first { $0.id == rule }?.level == level)
    }

    @Test("The live shape is data: the Responses surface names what the live API leaves out, by role; the Images API has none")
    func liveShape() throws {
        let catalog = try Fixtures.catalog()
        let live = try #require(try catalog.resolve(surface: "responses").liveShape)
        #expect(live.omittedEventTypes == ["response.image_generation_call.completed"])
        #expect(live.itemType == "image_generation_call")
        #expect(live.finishedItemStatus == "generating")
        #expect(live.dropsDoneSentinel)
        #expect(live.partialWhenNone == .init(eventType: "response.image_generation_call.partial_image", imageField: "partial_image_b64", finishedEventType: "response.output_item.done", resultField: "result"))
        #expect(try catalog.resolve(surface: "images.generate").liveShape == nil)
        #expect(try catalog.resolve(surface: "responses", dialect: "openai").settings.finalItemStatuses == ["completed", "generating"])
    }

    @Test("Unknown surfaces and dialects, and dialects off their surfaces, are refused with what exists")
    func refusals() throws {
        let catalog = try Fixtures.catalog()
        #expect(throws: SpecLoadError.unknownSurface("images.variations", known: catalog.surfaceIDs)) { try catalog.resolve(surface: "images.variations") }
        #expect(throws: SpecLoadError.unknownDialect("bedrock", known: catalog.dialectIDs)) { try catalog.resolve(surface: "responses", dialect: "bedrock") }
        #expect(throws: SpecLoadError.dialectDoesNotCover(dialect: "apiyi", surface: "responses", covers: ["images.generate"])) {
            try catalog.resolve(surface: "responses", dialect: "apiyi")
        }
    }

    @Test("A user adds a gateway's quirks in a new file, without recompiling")
    func userDialect() throws {
        let folder = try copyOfSpecs()
        try """
        format: tapedeck-spec/1
        kind: dialect
        dialect: acme
        title: ACME gateway
        surfaces: [images.generate]
        source: ACME's docs
        settings:
          payload_encoding: either
        rules:
          - {id: WIRE-004, level: "off", why: ACME sends no event lines}
        """.write(toFile: folder + "/dialects/acme.yaml", atomically: true, encoding: .utf8)
        let catalog = try SpecCatalog.load(from: folder)
        let spec = try catalog.resolve(surface: "images.generate", dialect: "acme")
        #expect(spec.settings.payloadEncoding == .either)
        #expect(spec.rules.first { $0.id == "WIRE-004" }?.level == .off)
        let events = Fixtures.imageEvents("image_generation").editing(2) { $0["b64_json"] = "data:image/png;base64," + Fixtures.png1024 }
        let report = Validator(spec: spec).validate(ValidationInput(request: Fixtures.jsonValue(Fixtures.imagesRequest()), response: .stream(Fixtures.stream(events, eventLines: false))))
        #expect(report.findings.filter { $0.level != .info }.map(\.ruleID) == [])
    }

    @Test("A misspelt key, a check that does not exist, or another format version is refused naming the file", arguments: [
        ("settings:\n  payload_encodng: base64\n", "unknown key payload_encodng"),
        ("rules:\n  - {id: ACME-001, level: MUST, statement: x, source: y, check: no-such-check}\n", "check `no-such-check`, which does not exist"),
        ("rules:\n  - {id: WIRE-001, level: MAYBE}\n", "MAYBE"),
    ])
    func badFiles(extra: String, expected: String) throws {
        let folder = try copyOfSpecs()
        let path = folder + "/dialects/acme.yaml"
        try ("format: tapedeck-spec/1\nkind: dialect\ndialect: acme\ntitle: ACME\nsurfaces: [images.generate]\n" + extra).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try SpecCatalog.load(from: folder)
            Issue.record("loading should fail")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("A folder without common.yaml is refused with what to pass")
    func notSpecs() {
        #expect(throws: SpecLoadError.notASpecsFolder("/tmp")) { try SpecCatalog.load(from: "/tmp") }
        #expect(SpecLoadError.notASpecsFolder("/tmp").description.contains("--specs"))
    }

    private func copyOfSpecs() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specs-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Fixtures.specsDirectory, toPath: folder)
        return folder
    }
}
