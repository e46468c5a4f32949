import Delivery

/// Which scenarios a run includes: cassettes × chunkings × variations × seeds, plus the WHATWG
/// cases × chunkings, then narrowed by a filter and a shard.
public struct SuiteSelection: Sendable {
    /// Chunking strategies, in the scenario grammar (`whole`, `bytes`, `fixed:N`, `random`,
    /// `adversarial`, `recorded`).
    public var chunkings: [String] = SuiteSelection.defaultChunkings
    /// What each delivery adds: faults and rewrites in the scenario grammar; `none` for the
    /// response as it is.
    public var variations: [String] = SuiteSelection.defaultVariations
    /// How many seeds each seeded strategy (`random`, `adversarial`) runs with: 1…N.
    public var seeds: Int = 1
    /// The shapes each cassette is delivered in (`documented`, `live`); `live` only where the
    /// surface has a live shape (Specs/ `live_shape`).
    public var shapes: [String] = ResponseShape.allCases.map(\.rawValue)
    /// Chunkings under which each cassette is delivered once more with `images=full-size`:
    /// every image at its real size, so line and event caps show. Empty leaves them out.
    public var fullSizeChunkings: [String] = SuiteSelection.defaultFullSizeChunkings
    /// Silences each streaming cassette is delivered once more with (whole, in the shape real
    /// servers send), to judge a client's patience (CLIENT-020): `silence:T@K` faults, with or
    /// without keep-alive comments. Empty leaves them out.
    public var patience: [String] = SuiteSelection.patienceProfiles["quick"]!
    /// For each cassette whose dialect has a progress channel (Specs/ `progress:`), the scenarios
    /// that test a client's use of it (capability `progress`), delivered whole at a quarter of
    /// the generation time. Empty leaves them out.
    public var progress: [String] = SuiteSelection.defaultProgress
    /// Chunkings for the WHATWG cases, which are short enough to send a byte at a time.
    public var wireChunkings: [String] = SuiteSelection.defaultWireChunkings
    public var includeWire = true
    public var includeCassettes = true
    /// Keep only scenario IDs matching this regular expression.
    public var filter: String?
    /// `(index, count)`, 1-based: keep every count-th scenario starting at index.
    public var shard: (index: Int, count: Int)?

    public init() {}

    public static let defaultChunkings = ["whole", "adversarial", "random", "recorded"]
    /// `tapedeck run --profile`: `quick` keeps the silences to a second, so the default suite
    /// stays fast; `slow` waits as a real 4K job does (a minute and a half before the first
    /// event, half a minute between previews), and needs a client timeout beyond that.
    public static let patienceProfiles: [String: [String]] = [
        "quick": ["fault=silence:1s@0", "fault=silence:1s@0:comments=250ms"],
        "slow": ["fault=silence:90s@0", "fault=silence:90s@0:comments=15s", "fault=silence:30s@1:comments=10s"],
    ]
    /// The longest silence of a profile, in seconds: the run's timeout must exceed it.
    public static func longestSilence(_ patience: [String]) -> Double {
        patience.compactMap { try? Scenario(parsing: $0) }.flatMap(\.faults).reduce(0) { longest, fault in
            if case .silence(let seconds, _, _) = fault { max(longest, seconds) } else { longest }
        }
    }
    public static let defaultProgress = [
        "progress=on",
        "fault=progress:stall@40",
        "fault=progress:backwards@50",
        "fault=progress:skip-100",
        "fault=progress:late",
        "fault=progress:close@50",
        "fault=progress:none",
        "fault=progress:missed-pong",
        "fault=progress:malformed",
        // A job that stalls and whose answer fails: the image never comes.
        "fault=progress:stall@50,fault=status:502",
    ]
    public static let defaultWireChunkings = ["whole", "bytes", "adversarial"]
    public static let defaultFullSizeChunkings = ["whole", "adversarial", "random"]
    public static let defaultVariations = [
        "none",
        "fault=truncate-final-image",
        "fault=drop-final",
        "fault=close-after-event:2",
        "fault=reset-after-bytes:2500",
        "fault=error-event:nested@1",
        "fault=error-event:flat@1",
        "fault=error-event:nested@-2",
        "fault=response-failed@-2",
        "fault=ping@0",
        "fault=fewer-partials:1",
        "fault=url-image:missing",
        "fault=url-image:truncated",
        "fault=url-image:other-format",
        "fault=status:429:retry-after=1",
        "fault=status:500",
        "bom",
        "eol=cr",
        "eol=crlf,heartbeat=1",
        "id-lines",
        "framing=close",
        "framing=length",
    ]

    /// Variations that only rewrite an event stream; a JSON body would be sent unchanged, so
    /// they are not repeated for one.
    static func rewritesEventsOnly(_ scenario: Scenario) -> Bool {
        scenario.lineEnding != nil || scenario.heartbeatEvery != nil || scenario.faults.contains { fault in
            switch fault {
            case .closeAfterBytes, .resetAfterBytes, .stall, .httpStatus, .closeAfterEvent, .urlImage, .progress: false
            default: true
            }
        }
    }

    /// Parses `i/n` (see ``CIShard`` for `auto`).
    public static func parseShard(_ text: String) throws(SuiteError) -> (index: Int, count: Int) {
        let shard = try CIShard.parse(text, environment: [:])
        return (shard.index, shard.count)
    }
}
