@testable import Conformance
import Testing

/// What a client must show is derived from what was delivered, whatever the delivery did.
struct ExpectationTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var cassette: String
        var scenario: String
        var mustSucceed: Bool
        var mustReportError: Bool
        var events: Int
        var finals: Int
        var brokenFinals: Int = 0
        var status: Int? = nil
        var testDescription: String { "\(cassette)@\(scenario)" }
    }

    static let rows: [Row] = [
        Row(cassette: "images-generate-png-partial-2", scenario: "none", mustSucceed: true, mustReportError: false, events: 3, finals: 1),
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=truncate-final-image", mustSucceed: false, mustReportError: true, events: 3, finals: 0, brokenFinals: 1),
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=drop-final", mustSucceed: false, mustReportError: true, events: 2, finals: 0),
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=close-after-event:1", mustSucceed: false, mustReportError: true, events: 2, finals: 0),
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=status:429", mustSucceed: false, mustReportError: true, events: 0, finals: 0, status: 429),
        // A ping block without data dispatches nothing under WHATWG: nothing changes.
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=ping@0", mustSucceed: true, mustReportError: false, events: 3, finals: 1),
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=fewer-partials:1", mustSucceed: true, mustReportError: false, events: 2, finals: 1),
        Row(cassette: "images-generate-png-partial-2", scenario: "eol=cr", mustSucceed: true, mustReportError: false, events: 3, finals: 1),
        Row(cassette: "images-generate-png-partial-2", scenario: "bom", mustSucceed: true, mustReportError: false, events: 3, finals: 1),
        // A close that lands after the last event still breaks the chunked framing: the
        // client may report it, but need not.
        Row(cassette: "images-generate-png-partial-2", scenario: "fault=close-after-event:9", mustSucceed: false, mustReportError: false, events: 3, finals: 1),
        // The image call's events, then the assistant's message item's.
        Row(cassette: "responses-png-partial-1", scenario: "none", mustSucceed: true, mustReportError: false, events: 15, finals: 1),
        Row(cassette: "responses-png-partial-1", scenario: "shape=live", mustSucceed: true, mustReportError: false, events: 14, finals: 1),
        Row(cassette: "responses-png-partial-0", scenario: "shape=live", mustSucceed: true, mustReportError: false, events: 14, finals: 1),
        Row(cassette: "responses-json", scenario: "none", mustSucceed: true, mustReportError: false, events: 0, finals: 1),
        Row(cassette: "responses-png-partial-1", scenario: "fault=response-failed@-2", mustSucceed: false, mustReportError: true, events: 15, finals: 1),
        Row(cassette: "responses-png-partial-1", scenario: "fault=error-event:nested@1", mustSucceed: false, mustReportError: true, events: 4, finals: 0),
        // Dropping response.completed leaves a whole image that may be shown beside the error.
        Row(cassette: "responses-png-partial-1", scenario: "fault=drop-final", mustSucceed: false, mustReportError: true, events: 14, finals: 1),
        Row(cassette: "responses-error-nested", scenario: "none", mustSucceed: false, mustReportError: true, events: 7, finals: 0),
        Row(cassette: "images-generate-missing-final", scenario: "none", mustSucceed: false, mustReportError: true, events: 2, finals: 0),
        Row(cassette: "images-generate-json-n2", scenario: "none", mustSucceed: true, mustReportError: false, events: 0, finals: 2),
        Row(cassette: "images-generate-apiyi", scenario: "none", mustSucceed: true, mustReportError: false, events: 0, finals: 1),
        Row(cassette: "images-generate-gateway-url", scenario: "none", mustSucceed: true, mustReportError: false, events: 0, finals: 1),
        Row(cassette: "images-generate-json-n2", scenario: "fault=close-after-bytes:100", mustSucceed: false, mustReportError: true, events: 0, finals: 0),
        Row(cassette: "images-generate-error-429", scenario: "none", mustSucceed: false, mustReportError: true, events: 0, finals: 0, status: 429),
    ]

    @Test("Expectations follow the delivered bytes", arguments: rows)
    func expectation(_ row: Row) throws {
        let suiteCase = try Fixtures.suiteCase(row.cassette, row.scenario)
        let delivery = DeliveredResponse(suiteCase, catalog: try Fixtures.catalog(), imageBase: nil)
        let expectation = ClientExpectation.derive(plan: delivery.plan, status: delivery.status, surface: suiteCase.surface, isEventStream: delivery.isEventStream)
        #expect(expectation.successRequired == row.mustSucceed)
        #expect((expectation.errorRequired != nil) == row.mustReportError, "\(expectation.errorRequired ?? "no error required")")
        #expect(expectation.events.count == row.events, "\(expectation.events.map(\.type))")
        #expect(expectation.finals.count == row.finals)
        #expect(expectation.brokenFinals.count == row.brokenFinals)
        #expect(expectation.httpStatus == row.status)
    }

    @Test("A plain event stream expects exactly the events the WHATWG parser dispatches")
    func wireExpectation() throws {
        let bom = try #require(try Fixtures.wireCases().first { $0.name == "wpt-format-bom" })
        var selection = SuiteSelection()
        selection.includeCassettes = false
        selection.wireChunkings = ["bytes"]
        let suiteCase = try #require(try SuiteBuilder.build(cassettes: [], wireCases: [bom], selection: selection).first)
        let delivery = DeliveredResponse(suiteCase, catalog: try Fixtures.catalog(), imageBase: nil)
        let expectation = ClientExpectation.derive(plan: delivery.plan, status: delivery.status, surface: "sse", isEventStream: true)
        #expect(expectation.wireEvents == [.init(type: "message", data: "1", id: ""), .init(type: "message", data: "3", id: "")])
        #expect(expectation.successRequired)
    }
}
