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

    public static let all: [ClientRule] = [
        succeedsOnConformantStream, surfacesEveryEvent, presentsDeliveredImages, reportsBrokenResponses,
        neverPresentsBrokenImage, reportsDeliveredUsage, errorCarriesStatus, finishesInTime, dispatchesWHATWGEvents,
    ]
}
