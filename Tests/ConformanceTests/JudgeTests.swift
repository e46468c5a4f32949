import ImageStreamSpec
@testable import Conformance
import Foundation
import Testing

/// Each rule is broken by one kind of client mistake, and only by it.
struct JudgeTests {
    enum Mistake: String, CaseIterable, Sendable {
        case none, exitsNonZero, dropsAnEvent, reordersEvents, wrongPartialIndex, wrongImage, corruptImage, noImage, hangs, reportsWrongUsage
    }

    static let rows: [(Mistake, [String])] = [
        (.none, []),
        (.exitsNonZero, ["CLIENT-001"]),
        (.dropsAnEvent, ["CLIENT-002"]),
        (.reordersEvents, ["CLIENT-002"]),
        (.wrongPartialIndex, ["CLIENT-002"]),
        (.wrongImage, ["CLIENT-003"]),
        (.corruptImage, ["CLIENT-005"]),
        (.noImage, ["CLIENT-003"]),
        (.hangs, ["CLIENT-008"]),
        (.reportsWrongUsage, ["CLIENT-006"]),
    ]

    @Test("On a whole, conformant stream each mistake breaks its rule", arguments: rows)
    func conformantStream(_ mistake: Mistake, _ rules: [String]) throws {
        let (expectation, bytes) = try Self.expectation("images-generate-png-partial-2", "none")
        var observation = Self.faithful(expectation, finalBytes: bytes, previews: Self.previews("images-generate-png-partial-2", "none"))
        switch mistake {
        case .none: break
        case .exitsNonZero: observation.exitCode = 1
        case .dropsAnEvent: observation.events.remove(at: 1)
        case .reordersEvents: observation.events.swapAt(0, 1)
        case .wrongPartialIndex: observation.events[1].partialImageIndex = 7
        case .wrongImage: observation.finals = [.bytes(try #require(Self.finalPayload("images-generate-webp-transparent", "none")))]
        case .corruptImage: observation.finals = [.bytes(Array(bytes.prefix(bytes.count / 2)))]
        case .noImage: observation.finals = []
        case .hangs: observation.timedOut = true
        case .reportsWrongUsage: observation.events[2].usage = .object(["total_tokens": .integer(1)])
        }
        let found = Judge.violations(expected: expectation, observed: observation, timeout: 5).map(\.ruleID)
        #expect(found == rules)
    }

    @Test("A usage difference is shown as JSON on both sides")
    func usageAsJSON() throws {
        let (expectation, bytes) = try Self.expectation("images-generate-png-partial-2", "none")
        var observation = Self.faithful(expectation, finalBytes: bytes, previews: Self.previews("images-generate-png-partial-2", "none"))
        observation.events[2].usage = .object(["total_tokens": .integer(1), "input_tokens_details": .object(["text_tokens": .integer(1)])])
        let violation = try #require(Judge.violations(expected: expectation, observed: observation, timeout: 5).first)
        #expect(violation.observed == #"{"input_tokens_details":{"text_tokens":1},"total_tokens":1}"#)
        #expect(violation.expected.contains(#""total_tokens":"#) && !violation.expected.contains(".integer("), "\(violation.expected)")
    }

    @Test("A truncated final image must be reported, and never presented")
    func truncatedFinal() throws {
        let (expectation, _) = try Self.expectation("images-generate-png-partial-2", "fault=truncate-final-image")
        var observation = Self.faithful(expectation, finalBytes: [], previews: Self.previews("images-generate-png-partial-2", "none"))
        observation.finals = []
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).map(\.ruleID) == ["CLIENT-004"])
        observation.exitCode = 1
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).isEmpty)
        // Presenting the broken bytes is a violation even when an error is reported too.
        let broken = try #require(Self.finalPayload("images-generate-png-partial-2", "fault=truncate-final-image"))
        observation.finals = [.bytes(broken)]
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).map(\.ruleID) == ["CLIENT-005"])
    }

    @Test("A non-2xx status must be reported, and the record SHOULD carry the status")
    func httpStatus() throws {
        let (expectation, _) = try Self.expectation("images-generate-png-partial-2", "fault=status:503")
        var observation = Observation()
        observation.error = .init(message: "service unavailable", status: nil)
        let found = Judge.violations(expected: expectation, observed: observation, timeout: 5)
        #expect(found.map(\.ruleID) == ["CLIENT-007"])
        #expect(found.first?.level == "SHOULD")
        observation.error?.status = 503
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).isEmpty)
    }

    @Test("A client that stops at an error may leave out what follows, but not what came before")
    func stopsAtError() throws {
        let (expectation, _) = try Self.expectation("responses-png-partial-1", "fault=error-event:nested@3")
        var observation = Observation()
        observation.exitCode = 1
        observation.events = expectation.events.prefix(4).map { .init(type: $0.type, partialImageIndex: $0.partialImageIndex) }
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).isEmpty)
        observation.events.remove(at: 2)
        #expect(Judge.violations(expected: expectation, observed: observation, timeout: 5).map(\.ruleID) == ["CLIENT-002"])
    }

    // MARK: - Helpers

    static func expectation(_ cassette: String, _ scenario: String) throws -> (ClientExpectation, [UInt8]) {
        let suiteCase = try Fixtures.suiteCase(cassette, scenario)
        let delivery = DeliveredResponse(suiteCase, catalog: try Fixtures.catalog(), imageBase: nil)
        let expectation = ClientExpectation.derive(plan: delivery.plan, status: delivery.status, surface: suiteCase.surface, isEventStream: delivery.isEventStream)
        return (expectation, finalPayload(cassette, scenario) ?? [])
    }

    /// The decoded image of the stream's last `*.completed` event, as delivered.
    static func finalPayload(_ cassette: String, _ scenario: String) -> [UInt8]? {
        guard let suiteCase = try? Fixtures.suiteCase(cassette, scenario), let catalog = try? Fixtures.catalog() else { return nil }
        let delivery = DeliveredResponse(suiteCase, catalog: catalog, imageBase: nil)
        let text = String(decoding: delivery.plan.body, as: UTF8.self)
        guard let range = text.range(of: "\"b64_json\":\"", options: .backwards) else { return nil }
        let payload = text[range.upperBound...].prefix { $0 != "\"" }
        return ImagePayloadText.decode(String(payload))
    }

    /// The decoded previews of the delivered stream, in order.
    static func previews(_ cassette: String, _ scenario: String) -> [[UInt8]] {
        guard let suiteCase = try? Fixtures.suiteCase(cassette, scenario), let catalog = try? Fixtures.catalog() else { return [] }
        let text = String(decoding: DeliveredResponse(suiteCase, catalog: catalog, imageBase: nil).plan.body, as: UTF8.self)
        return text.components(separatedBy: "\n").filter { $0.contains("partial_image\"") }.compactMap { line in
            guard let range = line.range(of: "\"b64_json\":\"") ?? line.range(of: "\"partial_image_b64\":\"") else { return nil }
            return ImagePayloadText.decode(String(line[range.upperBound...].prefix { $0 != "\"" }))
        }
    }

    /// An observation of a client that did everything right.
    static func faithful(_ expectation: ClientExpectation, finalBytes: [UInt8], previews: [[UInt8]] = []) -> Observation {
        var observation = Observation()
        observation.partials = previews
        observation.events = expectation.events.map { .init(type: $0.type, partialImageIndex: $0.partialImageIndex, usage: $0.usage) }
        observation.finals = finalBytes.isEmpty ? [] : [.bytes(finalBytes)]
        return observation
    }

    @Test("A finding keeps at most 4 KiB of what was expected or seen, and says how much it cut")
    func boundedFindings() {
        #expect(Judge.bounded("short") == "short")
        let long = String(repeating: "é", count: 10_000)
        let kept = Judge.bounded(long)
        #expect(kept.utf8.count < Judge.textLimit + 64)
        #expect(kept.hasSuffix("… (\(long.utf8.count - Judge.textLimit) more bytes cut)"))
    }
}
