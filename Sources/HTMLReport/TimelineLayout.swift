import Reports

/// The timeline of one session as SVG shapes: chunk arrivals in the top lane (a taller tick
/// where several land on the same pixel: a burst), event dispatches in the middle lane, the
/// client's own times below, shaded stalls, and cuts that fall inside an event's closing
/// line end. Coordinates only; the template draws them.
struct TimelineLayout {
    struct Tick { var x: String; var y: String; var height: String; var title: String }
    struct Marker { var x: String; var y: String; var kind: String; var title: String }
    struct Band { var x: String; var width: String; var label: String; var labelX: String }
    struct AxisLabel { var x: String; var text: String }

    static let width = 960.0
    static let height = 150.0
    static let left = 40.0
    static let right = 20.0
    static let chunkBase = 58.0
    static let eventLane = 80.0
    static let clientLane = 104.0
    static let axisY = 124.0

    var ticks: [Tick] = []
    var events: [Marker] = []
    var client: [Marker] = []
    var cuts: [Marker] = []
    var stalls: [Band] = []
    var axis: [AxisLabel] = []
    var hasClientLane = false
    var viewBox = "0 0 \(Int(width)) \(Int(height))"
    var axisStart = format(left)
    var axisEnd = format(width - right)

    init(_ trace: SessionTrace) {
        let times = trace.chunks.map(\.time) + trace.events.map(\.time) + trace.events.compactMap(\.clientTime) + trace.images.map(\.time)
        let span = max(times.max() ?? 0, 0.001)
        func x(_ time: Double) -> Double { Self.left + max(0, time) / span * (Self.width - Self.left - Self.right) }

        // Chunks that land on the same pixel column form one tick, taller the more there are.
        var columns: [(column: Int, count: Int, bytes: Int, time: Double)] = []
        for chunk in trace.chunks {
            let column = Int(x(chunk.time).rounded())
            if let last = columns.last, last.column == column {
                columns[columns.count - 1].count += 1
                columns[columns.count - 1].bytes += chunk.length
            } else {
                columns.append((column, 1, chunk.length, chunk.time))
            }
        }
        ticks = columns.map { column in
            let burst: Double = 5 * Double(column.count - 1).squareRoot()
            let height: Double = min(40, 10 + burst)
            let what = column.count == 1 ? "1 chunk" : "\(column.count) chunks"
            return Tick(x: Self.format(Double(column.column)), y: Self.format(Self.chunkBase - height), height: Self.format(height),
                        title: "\(what), \(column.bytes) bytes at \(Self.seconds(column.time))")
        }

        // Events, like chunks, are drawn one marker per pixel column and kind: a session of a
        // million events stays a few hundred shapes.
        var eventMarks = MarkerColumns()
        var clientMarks = MarkerColumns()
        for event in trace.events {
            let kind = Self.kind(of: event.type)
            eventMarks.add(x: x(event.time), kind: kind, index: event.index,
                           title: "#\(event.index) \(event.type) at \(Self.seconds(event.time)), bytes \(event.byteStart)–\(event.byteEnd)")
            if let clientTime = event.clientTime {
                clientMarks.add(x: x(clientTime), kind: kind, index: event.index,
                                title: "the client surfaced #\(event.index) \(event.type) at \(Self.seconds(clientTime))")
            } else if event.surfaced == false {
                clientMarks.add(x: x(event.time), kind: "unsurfaced", index: event.index,
                                title: "the client never surfaced #\(event.index) \(event.type)")
            }
        }
        events = eventMarks.markers(y: Self.eventLane)
        client = clientMarks.markers(y: Self.clientLane)
        hasClientLane = !client.isEmpty

        // The event the body ended inside: never dispatched, drawn hollow where the body ended.
        if let start = trace.unterminatedEventStart {
            let time = trace.chunks.last?.time ?? 0
            events.append(Marker(x: Self.format(x(time)), y: Self.format(Self.eventLane), kind: "unterminated",
                                 title: "the body ended inside an event that began at byte \(start): never dispatched"))
        }

        // A cut one byte before an event's end falls inside the line end that dispatches it.
        let eventEnds = Dictionary(trace.events.map { ($0.byteEnd - 1, $0) }, uniquingKeysWith: { first, _ in first })
        for chunk in trace.chunks {
            let cut = chunk.offset + chunk.length
            let title: String
            if let event = eventEnds[cut], cut > event.byteStart {
                title = "a chunk ends at byte \(cut), inside the line end that closes event #\(event.index)"
            } else if chunk.splitsLineEnd == true {
                title = "a chunk ends at byte \(cut), between a CR and its LF"
            } else {
                continue
            }
            cuts.append(Marker(x: Self.format(x(chunk.time)), y: Self.format(Self.chunkBase + 6), kind: "cut", title: title))
        }

        stalls = Self.stalls(in: trace.chunks.map(\.time)).map { start, end in
            let (a, b) = (x(start), x(end))
            return Band(x: Self.format(a), width: Self.format(max(b - a, 1)), label: "stall \(Self.seconds(end - start))",
                        labelX: Self.format((a + b) / 2))
        }

        axis = (0...4).map { step in
            let time = span * Double(step) / 4
            return AxisLabel(x: Self.format(x(time)), text: Self.seconds(time))
        }
    }

    /// Markers that fall on the same pixel column with the same kind, merged into one whose
    /// title names the first and how many more.
    struct MarkerColumns {
        private struct Key: Hashable { let column: Int; let kind: String }
        private var merged: [(column: Int, kind: String, title: String, count: Int, lastIndex: Int)] = []
        private var positions: [Key: Int] = [:]

        mutating func add(x: Double, kind: String, index: Int, title: @autoclosure () -> String) {
            let column = Int(x.rounded())
            let key = Key(column: column, kind: kind)
            if let position = positions[key] {
                merged[position].count += 1
                merged[position].lastIndex = index
            } else {
                positions[key] = merged.count
                merged.append((column, kind, title(), 1, index))
            }
        }

        func markers(y: Double) -> [Marker] {
            merged.map { mark in
                let title = mark.count == 1 ? mark.title : "\(mark.title), and \(mark.count - 1) more events up to #\(mark.lastIndex) at this point"
                return Marker(x: TimelineLayout.format(Double(mark.column)), y: TimelineLayout.format(y), kind: mark.kind, title: title)
            }
        }
    }

    /// Gaps between chunk arrivals of at least a second and over three times the median gap.
    static func stalls(in times: [Double]) -> [(Double, Double)] {
        let gaps = zip(times, times.dropFirst()).map { ($0, $1, $1 - $0) }
        guard !gaps.isEmpty else { return [] }
        let median = gaps.map(\.2).sorted()[gaps.count / 2]
        return gaps.filter { $0.2 >= 1.0 && $0.2 > 3 * median }.map { ($0.0, $0.1) }
    }

    /// The colour class of an event: partial and final images, errors, the rest.
    static func kind(of type: String) -> String {
        if type.hasSuffix("partial_image") { return "partial" }
        if type.hasSuffix(".completed") && type.hasPrefix("image") || type == "response.output_item.done" { return "final" }
        if type.contains("error") || type.hasSuffix(".failed") { return "error" }
        return "other"
    }

    static func format(_ value: Double) -> String {
        String(Double((value * 10).rounded()) / 10)
    }

    /// `850 ms` under ten seconds, `12.3 s` above.
    static func seconds(_ value: Double) -> String {
        if value < 10 { return "\(Int((value * 1000).rounded())) ms" }
        return "\(Double((value * 10).rounded()) / 10) s"
    }
}
