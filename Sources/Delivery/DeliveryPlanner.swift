import ImageStreamSpec

/// Turns a response body and a ``Scenario`` into a ``DeliveryPlan``. Pure: the same inputs
/// always give the same plan, with no clock, no global randomness and no I/O.
///
/// ## Steps
///
/// 1. **Status.** The first ``Fault/httpStatus(_:retryAfter:)`` replaces the response with
///    an OpenAI-shaped JSON error body (`{"error":{"message","type","param":null,"code"}}`,
///    type and code matching the status: 429 is `requests`/`rate_limit_exceeded`, 500
///    `server_error`, 503 `server_error`/`service_unavailable`), `Content-Type:
///    application/json` and, when given, `Retry-After`. Event-level faults and rewrites then
///    do not apply, and recorded chunk boundaries (which belong to the other body) are not
///    used: `.recorded` falls back to `.whole`. Byte-offset faults still apply.
/// 2. **Rewrites.** `images=full-size` replaces every image payload by a real image of its
///    format and size from the ``FullSizeImageSource`` (JSON bodies too). On event streams,
///    when the scenario asks for full-size images, the live shape, a line-ending rewrite,
///    heartbeats or any event-level fault, the body is parsed with `SSEParser` and rebuilt
///    from slices of itself (see `StreamRewrite`): images first, then the live shape (see
///    ``LiveShapeSpec``; only where the surface has one), then the event-level faults in a fixed
///    order, whatever order they are listed in: fewer-partials, drop-final,
///    truncate-final-image, swaps, duplicates, pings, the error event or response.failed; then
///    heartbeats, id lines, the BOM and the line-ending rewrite as the body is written. Event
///    indices name events of the stream in its delivered shape, before any fault. Otherwise
///    the body is used as is, uncopied.
/// 3. **Ending.** `close-after-bytes:N` and `reset-after-bytes:N` end delivery after
///    `min(N, body.count)` bytes; `close-after-event:K` after the blank line of the Kth event
///    a client parses from the *delivered* body (or at the body's end when there are fewer
///    events). Such a fault always sets its ending, even at the body's end, so a chunked
///    response then lacks its terminating chunk. With several, the earliest wins, and a reset
///    wins a tie with a close.
/// 4. **Chunking** cuts the delivered bytes (see ``Chunking`` and `ChunkCuts`): never an
///    empty fragment, and fragments are ranges into the one body.
/// 5. **Stalls** (`stall:T@N`) cut at byte N of the final body and add T (unscaled by
///    ``Scenario/timeScale``) to the wait before the fragment starting there; a stall at or
///    past the delivered end becomes ``DeliveryPlan/finalDelay``. A `silence:T@K` is a stall
///    at the start of event K; with `comments=C`, a `: keep-alive` block is written there every
///    C seconds of it, each a stall of C, and the rest of T waits before the event.
///
/// Values the text grammar rejects but the API allows are made harmless: `fixed(0)` cuts
/// single bytes, a heartbeat interval below 1 means none, negative offsets count as 0, a
/// negative or non-finite stall or time scale counts as 0.
public enum DeliveryPlanner {
    /// - Parameters:
    ///   - body: the response body: an event stream's exact bytes, or a JSON body.
    ///   - isEventStream: whether `body` is an event stream; only then do rewrites and
    ///     event-level faults apply.
    ///   - surface: `images.generate`, `images.edit` or `responses`. Only `responses` changes
    ///     anything: an injected error is followed by `response.failed` and carries sequence
    ///     numbers.
    ///   - recordedChunks: the recorded chunk lengths and arrival times (from the start of the
    ///     exchange), for `.recorded` chunking; nil when there is no recording.
    ///   - scenario: how to deliver.
    ///   - liveShape: what `shape=live` does on this surface (from Specs/); nil where the live
    ///     API sends the documented shape.
    ///   - images: where `images=full-size` takes its images; without one, images stay.
    public static func plan(
        body: [UInt8],
        isEventStream: Bool,
        surface: String,
        recordedChunks: [(length: Int, at: Duration)]?,
        scenario: Scenario,
        liveShape: LiveShapeSpec? = nil,
        images: (any FullSizeImageSource)? = nil
    ) -> DeliveryPlan {
        var status = 200
        var headers: [(String, String)]
        var finalBody = body
        var eventEnds: [Int] = []
        var recording = recordedChunks
        var silences: [(offset: Int, delay: Duration)] = []

        let injectedStatus = scenario.faults.lazy.compactMap { fault -> (Int, Int?)? in
            if case .httpStatus(let code, let retryAfter) = fault { (code, retryAfter) } else { nil }
        }.first
        if let (code, retryAfter) = injectedStatus {
            status = code
            finalBody = InjectedBodies.httpErrorBody(status: code)
            headers = [("Content-Type", "application/json")]
            if let retryAfter { headers.append(("Retry-After", String(max(0, retryAfter)))) }
            recording = nil
        } else if isEventStream {
            headers = [("Content-Type", "text/event-stream")]
            let heartbeats = (scenario.heartbeatEvery ?? 0) > 0
            let rewrites = scenario.lineEnding != nil || heartbeats || scenario.faults.contains(where: \.rewritesEvents)
                || (scenario.shape == .live && liveShape != nil) || (scenario.images == .fullSize && images != nil)
            if rewrites {
                (finalBody, eventEnds, silences) = StreamRewrite(input: body, surface: surface, scenario: scenario, liveShape: liveShape, images: images).run()
            } else if scenario.faults.contains(where: { if case .closeAfterEvent = $0 { true } else { false } }) {
                eventEnds = StreamRewrite.eventEnds(of: body)
            }
        } else {
            headers = [("Content-Type", "application/json")]
            if scenario.images == .fullSize, let images {
                finalBody = StreamRewrite.fullSizeBody(body, images: images)
            }
        }

        let (end, ending) = cutoff(bodyCount: finalBody.count, eventEnds: eventEnds, faults: scenario.faults)

        let base: Fragments.Base
        switch scenario.chunking {
        case .whole:
            base = .uniform(end)
        case .bytes:
            base = .uniform(1)
        case .fixed(let size):
            base = .uniform(max(1, size))
        case .random:
            base = .pieces(ChunkCuts.randomPieces(end: end, seed: scenario.seed).map { ($0, .zero) })
        case .adversarial:
            let cuts = ChunkCuts.adversarialCuts(in: finalBody, end: end, seed: scenario.seed)
            var pieces: [(Range<Int>, Duration)] = []
            pieces.reserveCapacity(cuts.count + 1)
            var start = 0
            for cut in cuts + (end > 0 ? [end] : []) {
                pieces.append((start..<cut, .zero))
                start = cut
            }
            base = .pieces(pieces)
        case .recorded:
            if let recording, !recording.isEmpty {
                base = .pieces(ChunkCuts.recordedPieces(end: end, chunks: recording, timeScale: scenario.timeScale))
            } else {
                base = .uniform(end)
            }
        }

        let stalls = scenario.faults.compactMap { fault -> (offset: Int, delay: Duration)? in
            guard case .stall(let seconds, let offset) = fault else { return nil }
            return (offset, seconds.isFinite && seconds > 0 ? .seconds(seconds) : .zero)
        }
        let (fragments, finalDelay) = Fragments.build(end: end, base: base, stalls: stalls + silences)

        return DeliveryPlan(
            status: status,
            headers: headers,
            body: finalBody,
            fragments: fragments,
            ending: ending,
            framing: scenario.framing,
            finalDelay: finalDelay
        )
    }

    /// Where delivery stops and how: the earliest close or reset, a reset winning a tie.
    static func cutoff(bodyCount: Int, eventEnds: [Int], faults: [Fault]) -> (end: Int, ending: Ending) {
        var result = (end: bodyCount, ending: Ending.complete)
        for fault in faults {
            let candidate: (end: Int, ending: Ending)
            switch fault {
            case .closeAfterBytes(let count):
                candidate = (min(max(0, count), bodyCount), .close)
            case .resetAfterBytes(let count):
                candidate = (min(max(0, count), bodyCount), .reset)
            case .closeAfterEvent(let index):
                let resolved = index < 0 ? eventEnds.count + index : index
                candidate = (resolved >= 0 && resolved < eventEnds.count ? eventEnds[resolved] : bodyCount, .close)
            default:
                continue
            }
            if result.ending == .complete || candidate.end < result.end
                || (candidate.end == result.end && candidate.ending == .reset) {
                result = candidate
            }
        }
        return result
    }
}
