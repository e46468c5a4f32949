import Foundation

/// Everything one `tapedeck run` (or `record`, or `validate`) found, in the form every report
/// writer reads: JSON for machines, JUnit XML for CI, HTML for people, and the terminal
/// summary. Shards of one suite are joined with ``RunReport/merged(_:)``.
public struct RunReport: Codable, Hashable, Sendable {
    /// The version of this JSON format.
    public static let formatVersion = "tapedeck-run/1"

    public var format: String
    /// The tool that wrote it, such as `tapedeck 0.4.0`.
    public var tool: String
    /// When the run started, ISO 8601.
    public var startedAt: String
    /// Wall-clock seconds.
    public var duration: Double
    public var client: ClientInfo
    /// How the suite was selected, such as `--chunking adversarial --seeds 3 --shard 1/4`.
    public var selection: String
    public var results: [ScenarioResult]

    public init(
        tool: String,
        startedAt: String,
        duration: Double,
        client: ClientInfo,
        selection: String,
        results: [ScenarioResult]
    ) {
        self.format = Self.formatVersion
        self.tool = tool
        self.startedAt = startedAt
        self.duration = duration
        self.client = client
        self.selection = selection
        self.results = results
    }
}

/// The client under test.
public struct ClientInfo: Codable, Hashable, Sendable {
    /// `reference`, `command` or `service`.
    public var mode: String
    /// The client's name, such as `openai-python`, as it declared it or as given.
    public var name: String
    public var version: String?
    /// The command that runs it, for command and service mode.
    public var command: String?
    public var capabilities: [String]

    public init(mode: String, name: String, version: String? = nil, command: String? = nil, capabilities: [String]) {
        self.mode = mode
        self.name = name
        self.version = version
        self.command = command
        self.capabilities = capabilities
    }
}

/// The outcome of one scenario.
public enum Verdict: String, Codable, CaseIterable, Hashable, Sendable {
    case pass
    /// The client broke a MUST.
    case fail
    /// The client broke only a SHOULD.
    case nonStrict = "non-strict"
    /// The harness or the environment failed; says nothing about the client.
    case error
    /// The scenario needs something the client does not declare.
    case skipped
}

/// One scenario's result.
public struct ScenarioResult: Codable, Hashable, Sendable {
    /// Stable across runs and machines: `<cassette or case>@<delivery scenario>`.
    public var id: String
    /// The API surface: `images.generate`, `images.edit`, `responses` or `sse`.
    public var surface: String
    /// The provider dialect, such as `openai`.
    public var dialect: String
    /// The chunking strategy, such as `adversarial`.
    public var strategy: String
    /// The delivery scenario in its URL form, such as `chunking=adversarial,seed=7`.
    public var scenario: String
    /// The faults injected, in their scenario text form; empty when none.
    public var faults: [String]
    public var seed: UInt64
    /// The cassette (or WHATWG case) the response came from.
    public var source: String
    /// The file that defines it, relative to the working directory.
    public var file: String
    public var verdict: Verdict
    /// Seconds.
    public var duration: Double
    /// Why it was skipped or could not run.
    public var reason: String?
    public var violations: [Violation]
    /// One line that reproduces this scenario alone.
    public var reproduction: String
    /// The start of what was delivered, escaped for reading (CR, LF and non-printing bytes shown).
    public var wireExcerpt: String
    /// What the client wrote on standard error, cut to a few kilobytes.
    public var clientLog: String
    /// Chunk arrivals, events and images over time; kept for scenarios that did not pass and
    /// for a sample of those that did.
    public var trace: SessionTrace?

    public init(
        id: String,
        surface: String,
        dialect: String,
        strategy: String,
        scenario: String,
        faults: [String] = [],
        seed: UInt64 = 0,
        source: String,
        file: String,
        verdict: Verdict,
        duration: Double,
        reason: String? = nil,
        violations: [Violation] = [],
        reproduction: String,
        wireExcerpt: String = "",
        clientLog: String = "",
        trace: SessionTrace? = nil
    ) {
        self.id = id
        self.surface = surface
        self.dialect = dialect
        self.strategy = strategy
        self.scenario = scenario
        self.faults = faults
        self.seed = seed
        self.source = source
        self.file = file
        self.verdict = verdict
        self.duration = duration
        self.reason = reason
        self.violations = violations
        self.reproduction = reproduction
        self.wireExcerpt = wireExcerpt
        self.clientLog = clientLog
        self.trace = trace
    }

    /// The JUnit test suite it belongs to: one per surface and strategy.
    public var group: String { "\(surface).\(strategy)" }
}

/// One rule the client broke, with what was expected and what was seen.
public struct Violation: Codable, Hashable, Sendable {
    /// Such as `CLIENT-003`, or a spec rule ID such as `IMG-GEN-004` for `validate`.
    public var ruleID: String
    /// `MUST` or `SHOULD`.
    public var level: String
    public var statement: String
    /// Where the rule comes from.
    public var source: String
    public var expected: String
    public var observed: String

    public init(ruleID: String, level: String, statement: String, source: String, expected: String, observed: String) {
        self.ruleID = ruleID
        self.level = level
        self.statement = statement
        self.source = source
        self.expected = expected
        self.observed = observed
    }
}

/// A session over time, as delivered and as the client saw it: what the report's timeline and
/// filmstrip draw.
public struct SessionTrace: Codable, Hashable, Sendable {
    /// Chunk arrivals (or deliveries), in order. Long runs of tiny chunks are kept whole up to
    /// a limit; ``chunksOmitted`` counts the rest.
    public var chunks: [ChunkMark]
    public var chunksOmitted: Int
    public var events: [EventMark]
    /// Partial and final images in arrival order, plus a `missing` entry for an expected final
    /// image that never came.
    public var images: [ImageFrame]
    /// How the body ended: `complete`, `closed` (early), `reset`, `timeout`.
    public var ending: String
    /// Total body bytes.
    public var byteCount: Int
    /// Where the event that the body ended inside began (bytes after the last blank line that
    /// a client discards); nil when the body ended cleanly or is not an event stream.
    public var unterminatedEventStart: Int?

    public init(chunks: [ChunkMark], chunksOmitted: Int = 0, events: [EventMark], images: [ImageFrame], ending: String, byteCount: Int,
                unterminatedEventStart: Int? = nil) {
        self.chunks = chunks
        self.chunksOmitted = chunksOmitted
        self.events = events
        self.images = images
        self.ending = ending
        self.byteCount = byteCount
        self.unterminatedEventStart = unterminatedEventStart
    }
}

public struct ChunkMark: Codable, Hashable, Sendable {
    public var offset: Int
    public var length: Int
    /// Seconds since the request was sent.
    public var time: Double
    /// True when the chunk ends between a CR and the LF after it: a split a client must join.
    public var splitsLineEnd: Bool?

    public init(offset: Int, length: Int, time: Double, splitsLineEnd: Bool? = nil) {
        self.offset = offset
        self.length = length
        self.time = time
        self.splitsLineEnd = splitsLineEnd
    }
}

public struct EventMark: Codable, Hashable, Sendable {
    public var index: Int
    /// The event's JSON `type` (or its SSE event type when the data is not JSON).
    public var type: String
    /// The event's bytes in the body, blank line included.
    public var byteStart: Int
    public var byteEnd: Int
    /// Seconds since the request was sent when its last byte was delivered.
    public var time: Double
    /// When the client said it surfaced the event, if it said.
    public var clientTime: Double?
    /// Whether the client surfaced it.
    public var surfaced: Bool?

    public init(index: Int, type: String, byteStart: Int, byteEnd: Int, time: Double, clientTime: Double? = nil, surfaced: Bool? = nil) {
        self.index = index
        self.type = type
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.time = time
        self.clientTime = clientTime
        self.surfaced = surfaced
    }
}

public struct ImageFrame: Codable, Hashable, Sendable {
    public enum Role: String, Codable, Hashable, Sendable { case partial, final }
    public enum Status: String, Codable, Hashable, Sendable { case ok, truncated, corrupt, missing }

    public var role: Role
    /// The partial image index, or the final image's position.
    public var index: Int
    /// `png`, `jpeg`, `webp`, or nil when it could not be told.
    public var format: String?
    public var width: Int?
    public var height: Int?
    /// Seconds since the request was sent.
    public var time: Double
    public var status: Status
    /// What is wrong with it, for a status other than `ok`.
    public var problem: String?
    /// The payload's size in bytes, decoded.
    public var byteCount: Int
    /// A small PNG of it as a `data:` URL, when one could be made and the page had room.
    public var thumbnail: String?

    public init(role: Role, index: Int, format: String?, width: Int?, height: Int?, time: Double, status: Status, problem: String? = nil, byteCount: Int, thumbnail: String? = nil) {
        self.role = role
        self.index = index
        self.format = format
        self.width = width
        self.height = height
        self.time = time
        self.status = status
        self.problem = problem
        self.byteCount = byteCount
        self.thumbnail = thumbnail
    }
}
