import Cassette
import Delivery

/// One scenario of the suite: a response (a cassette or a WHATWG case) delivered one way.
public struct SuiteCase: Sendable {
    public enum Source: Sendable {
        case cassette(Cassette, file: String)
        case wire(WireCase)
    }

    /// Stable across runs and machines: `<source>@<delivery scenario>`.
    public let id: String
    public let source: Source
    public let scenario: Scenario
    /// The scenario in its URL form, such as `chunking=adversarial,seed=7`.
    public let scenarioText: String
    /// The chunking strategy's name, such as `adversarial`.
    public let strategy: String
    /// The faults and rewrites added to the delivery, as written in the scenario.
    public let variation: String
    /// `documented` or `live`: the response's shape.
    public let shape: String

    public var sourceName: String {
        switch source {
        case .cassette(let cassette, _): cassette.name
        case .wire(let wire): wire.name
        }
    }

    /// The cassette its URL names with `/c/<name>`, for a cassette's case.
    public var cassetteName: String? {
        if case .cassette(let cassette, _) = source { return cassette.name }
        return nil
    }

    public var file: String {
        switch source {
        case .cassette(_, let file): file
        case .wire(let wire): wire.file
        }
    }

    public var surface: String {
        switch source {
        case .cassette(let cassette, _): cassette.surface
        case .wire: "sse"
        }
    }

    public var dialect: String {
        switch source {
        case .cassette(let cassette, _): cassette.dialect
        case .wire: "whatwg"
        }
    }

    /// Whether the response is one JSON body rather than a stream.
    public var isJSONBody: Bool {
        if case .cassette(let cassette, _) = source { return !cassette.isEventStream }
        return false
    }

    /// What a client must support to run it.
    public var requiredCapabilities: [String] {
        (isJSONBody ? [surface, "json"] : [surface]) + (scenario.usesProgress ? ["progress"] : [])
    }
}
