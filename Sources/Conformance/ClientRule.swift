/// A rule a client under test must (or should) follow. The table is the one in
/// docs/client-contract.md; `tapedeck run --rules` prints it.
public struct ClientRule: Hashable, Sendable {
    public enum Level: String, Sendable { case must = "MUST", should = "SHOULD" }

    public let id: String
    public let level: Level
    public let statement: String
    public let source: String

    static let contract = "docs/client-contract.md, What is expected"

    public static let succeedsOnConformantStream = ClientRule(
        id: "CLIENT-001", level: .must,
        statement: "When the response is complete and conformant, the client succeeds: it exits 0 and writes no error.json.",
        source: contract)
    public static let surfacesEveryEvent = ClientRule(
        id: "CLIENT-002", level: .must,
        statement: "The client surfaces every delivered event, in order, with the delivered type and partial_image_index; an error or response.failed event may instead be reported as an error.",
        source: contract)
    public static let presentsDeliveredImages = ClientRule(
        id: "CLIENT-003", level: .must,
        statement: "The final images the client presents are the delivered images, byte for byte.",
        source: contract)
    public static let reportsBrokenResponses = ClientRule(
        id: "CLIENT-004", level: .must,
        statement: "When the response ends before its final event, carries an error, has a non-2xx status or a truncated final image, the client reports an error.",
        source: contract)
    public static let neverPresentsBrokenImage = ClientRule(
        id: "CLIENT-005", level: .must,
        statement: "The client never presents a truncated, corrupt or missing final image as complete.",
        source: contract)
    public static let reportsDeliveredUsage = ClientRule(
        id: "CLIENT-006", level: .should,
        statement: "The usage a client reports equals the delivered usage.",
        source: contract)
    public static let errorCarriesStatus = ClientRule(
        id: "CLIENT-007", level: .should,
        statement: "An error record carries the HTTP status when the response had one.",
        source: contract)
    public static let finishesInTime = ClientRule(
        id: "CLIENT-008", level: .must,
        statement: "The client finishes within TAPEDECK_TIMEOUT.",
        source: contract)
    public static let dispatchesWHATWGEvents = ClientRule(
        id: "CLIENT-009", level: .must,
        statement: "For a plain event stream, the client dispatches exactly the events WHATWG's parsing rules give: the same types, data and last event IDs, in order.",
        source: "WHATWG HTML §9.2.6 Interpreting an event stream; docs/client-contract.md")

    public static let presentsDeliveredPreviews = ClientRule(
        id: "CLIENT-010", level: .must,
        statement: "The partial images the client presents are the delivered previews, byte for byte, in order.",
        source: contract)
    // SHOULD, not MUST: the final image is what a generation returns, and a client may choose
    // not to show previews; but one that surfaces each preview event and drops its image has
    // lost what users stream for, and --strict fails it.
    public static let presentsEveryPreview = ClientRule(
        id: "CLIENT-011", level: .should,
        statement: "For every partial-image event it surfaces, the client presents that preview's image.",
        source: contract)
    public static let readsLongEvents = ClientRule(
        id: "CLIENT-012", level: .must,
        statement: "The client reads an event whatever the length of its data line: a whole image travels on one line of megabytes (a 1024x1024 PNG about 4 MB, a 3840x2160 one 20-30 MB).",
        source: "Specs/README.md, Real captures (a 1024x1024 PNG from api.openai.com is 3.56 million base64 characters on one line); caps that broke on it: nextlevelbuilder/goclaw 1348 (1 MB), openai/openai-go 368 (64 KiB), openai/openai-node PR 2433 (8 MiB); docs/client-contract.md")

    // What the client sends, and when: judged from the requests the server kept.
    static let requests = "docs/client-contract.md, What is expected of the requests"

    public static let sendsRequest = ClientRule(
        id: "CLIENT-013", level: .must,
        statement: "The client sends the scenario's request to the server's base URL.",
        source: requests)
    public static let requestFollowsSurface = ClientRule(
        id: "CLIENT-014", level: .must,
        statement: "The request body or form follows the surface's request rules: types, enums, ranges and required fields, as `tapedeck validate --request` checks them.",
        source: requests + "; the request rules in Specs/ (OpenAI API reference, Create image and Create image edit; spec-facts §8)")
    public static let sendsAskedParameters = ClientRule(
        id: "CLIENT-015", level: .must,
        statement: "The request carries every field of request.json's body with its value: what the scenario asked for (stream, partial_images, size, format…) reaches the server.",
        source: requests)
    public static let sendsWellFormedUploads = ClientRule(
        id: "CLIENT-016", level: .must,
        statement: "A multipart edit sends its images under image[] or image and at most one mask, each file part with a filename and a content type of image/png, image/jpeg or image/webp that matches its bytes.",
        source: requests + "; OpenAI API reference, Create image edit (image, mask); openai-python's multipart upload of images")
    public static let sendsAuthorization = ClientRule(
        id: "CLIENT-017", level: .should,
        statement: "The request carries an Authorization header.",
        source: requests + "; OpenAI API reference, Authentication")
    public static let neverResendsBilledGeneration = ClientRule(
        id: "CLIENT-018", level: .must,
        statement: "A generation is not sent again once its response had begun: each request is a paid generation.",
        source: requests)
    public static let waitsRetryAfter = ClientRule(
        id: "CLIENT-019", level: .must,
        statement: "A request retried after a 429 or 503 waits at least the Retry-After that response gave.",
        source: requests + "; RFC 9110 §10.2.3 Retry-After")

    public static let waitsThroughSilence = ClientRule(
        id: "CLIENT-020", level: .must,
        statement: "The client waits through silences before and between events, with or without keep-alive comments: a real image job says nothing for 60–120 s before its first event.",
        source: contract + "; the OpenAI image generation guide (complex prompts can take up to 2 minutes)")

    // The gateway's progress channel (docs/client-contract.md, Progress).
    static let progress = "docs/client-contract.md, Progress; https://www.gatewyse.com/docs/api-reference/images/ (Real-Time Progress)"

    public static let surfacesProgressInOrder = ClientRule(
        id: "CLIENT-021", level: .must,
        statement: "The client shows its job's progress in the order it was sent, never going back: every percentage it shows was sent for its job, and it shows the last one sent and the completion when one came.",
        source: progress)
    public static let progressNeverFailsGeneration = ClientRule(
        id: "CLIENT-022", level: .must,
        statement: "A stalled, broken, silent or closed progress channel does not fail a generation whose image arrives.",
        source: progress)
    public static let reportsAbandonedJob = ClientRule(
        id: "CLIENT-023", level: .must,
        statement: "A job whose progress never completes and whose image never comes is reported as failed, within the timeout: the client does not wait on the progress channel for an answer that has failed.",
        source: progress)

    public static let all: [ClientRule] = [
        succeedsOnConformantStream, surfacesEveryEvent, presentsDeliveredImages, reportsBrokenResponses,
        neverPresentsBrokenImage, reportsDeliveredUsage, errorCarriesStatus, finishesInTime, dispatchesWHATWGEvents,
        presentsDeliveredPreviews, presentsEveryPreview, readsLongEvents,
        sendsRequest, requestFollowsSurface, sendsAskedParameters, sendsWellFormedUploads, sendsAuthorization,
        neverResendsBilledGeneration, waitsRetryAfter, waitsThroughSilence,
        surfacesProgressInOrder, progressNeverFailsGeneration, reportsAbandonedJob,
    ]
}
