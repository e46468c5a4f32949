import Reports

/// What the template shows, every value already a display string: the template only places
/// them (escaping each), so the page's logic stays here where it is tested. Stored properties
/// only (the template reads them by reflection); flags are set by the initialisers.
struct PageModel {
    var title: String
    var isSession: Bool
    var tool: String
    var startedAt: String
    var duration: String
    var clientName: String
    var clientMode: String
    var clientVersion: String
    var clientCommand: String
    var selection: String
    var totals: VerdictCounts
    var dimensions: [Dimension]
    var overview: OverviewMatrix
    var causes: [CauseGroup]
    var rows: [ScenarioRow]
    var rowsLeftOut: Int
    var details: [ScenarioDetail]
    var detailsLeftOut: Int
    var thumbnailsLeftOut: Int
    var pageLimit: String
    var hasClientVersion = false
    var hasClientCommand = false
    var hasNotes = false
    var hasRowsLeftOut = false
    var hasDetailsLeftOut = false
    var hasThumbnailsLeftOut = false
    var hasCauses = false

    mutating func setFlags() {
        hasCauses = !causes.isEmpty
        hasRowsLeftOut = rowsLeftOut > 0
        hasDetailsLeftOut = detailsLeftOut > 0
        hasThumbnailsLeftOut = thumbnailsLeftOut > 0
        hasClientVersion = !clientVersion.isEmpty
        hasClientCommand = !clientCommand.isEmpty
        hasNotes = rowsLeftOut > 0 || detailsLeftOut > 0 || thumbnailsLeftOut > 0
    }
}

/// A row of the scenario table, with the values the filters read.
struct ScenarioRow {
    var id: String
    var anchor: String
    var hasDetail: Bool
    var verdict: String
    var surface: String
    var dialect: String
    var strategy: String
    var client: String
    var scenario: String
    var duration: String
    /// The failure cause it belongs to (`FailureCause.name`), "" for a pass or a skip.
    var cause: String
}

struct ScenarioDetail {
    var row: ScenarioRow
    var collapsed: Bool
    var reason: String
    var hasReason = false
    var source: String
    var file: String
    var faults: String
    var hasFaults = false
    var seed: String
    var violations: [ViolationModel]
    var hasViolations = false
    /// Findings beyond the page's limit per scenario.
    var violationsLeftOut: Int
    var hasViolationsLeftOut = false
    var reproduction: String
    var wireExcerpt: String
    var hasWireExcerpt = false
    var clientLog: String
    var hasClientLog = false
    var trace: TraceModel?
    var hasTrace = false
    mutating func setFlags() {
        hasReason = !reason.isEmpty
        hasFaults = !faults.isEmpty
        hasViolations = !violations.isEmpty
        hasViolationsLeftOut = violationsLeftOut > 0
        hasWireExcerpt = !wireExcerpt.isEmpty
        hasClientLog = !clientLog.isEmpty
        hasTrace = trace != nil
    }
}

struct ViolationModel {
    var ruleID: String
    var level: String
    var statement: String
    var source: String
    var diff: [DiffLine]
}

struct TraceModel {
    var frames: [FrameModel]
    var hasFrames = false
    var timeline: TimelineLayout
    var ending: String
    var byteCount: Int
    var chunkCount: Int
    var chunksOmitted: Int
    var hasOmittedChunks = false
    var eventCount: Int
    /// Where the event the body ended inside began, or "" when it ended cleanly.
    var unterminatedEventStart: String
    var hasUnterminatedEvent = false
    mutating func setFlags() {
        hasFrames = !frames.isEmpty
        hasOmittedChunks = chunksOmitted > 0
        hasUnterminatedEvent = !unterminatedEventStart.isEmpty
    }
}

struct FrameModel {
    var label: String
    var role: String
    var status: String
    var format: String
    var size: String
    var time: String
    var bytes: String
    var problem: String
    var hasProblem = false
    /// A `data:image/png;base64,` URL, or "" when there is none (or no room for it).
    var thumbnail: String
    var hasThumbnail = false
    /// Why there is no picture: the image is missing or broken, or the page had no room.
    var placeholder: String
    mutating func setFlags() {
        hasProblem = !problem.isEmpty
        hasThumbnail = !thumbnail.isEmpty
    }
}
