import Reports

/// Turns a run report into the page model: which scenarios are listed and detailed, and
/// which thumbnails fit in `thumbnailBudget` bytes.
struct PageModelBuilder {
    var options: HTMLReportOptions
    var thumbnailBudget: Int

    func build(_ report: RunReport, session: String?) -> PageModel {
        let results = report.results
        let client = report.client.name
        var rows: [ScenarioRow] = []
        var details: [ScenarioDetail] = []
        var failingDetailed = 0, failingLeftOut = 0, passingDetailed = 0, passingListed = 0
        var thumbnailsUsed = 0, thumbnailsLeftOut = 0
        // One example per cause is shown open; the rest of its group is collapsed.
        var causesOpened: Set<String> = []

        for (position, result) in results.enumerated() {
            let isPass = result.verdict == .pass
            let wantsDetail = session != nil || !isPass || (result.trace != nil && passingDetailed < options.maxPassingDetails)
            var hasDetail = false
            if wantsDetail {
                if !isPass && session == nil && failingDetailed >= options.maxDetailedScenarios {
                    failingLeftOut += 1
                } else {
                    hasDetail = true
                    if isPass { passingDetailed += 1 } else { failingDetailed += 1 }
                }
            }
            let row = ScenarioRow(
                id: result.id, anchor: "s-\(position)", hasDetail: hasDetail, verdict: result.verdict.rawValue,
                surface: result.surface, dialect: result.dialect, strategy: result.strategy, client: client,
                scenario: result.scenario, duration: TimelineLayout.seconds(result.duration),
                cause: FailureCause(result)?.name ?? "")
            // Every scenario that did not pass is listed; passing ones up to the limit.
            if !isPass || passingListed < options.maxListedScenarios {
                rows.append(row)
                if isPass { passingListed += 1 }
            }
            guard hasDetail else { continue }
            var trace = result.trace.map { traceModel($0) }
            if var frames = trace?.frames {
                for index in frames.indices where !frames[index].thumbnail.isEmpty {
                    let size = frames[index].thumbnail.utf8.count
                    if thumbnailsUsed + size <= thumbnailBudget {
                        thumbnailsUsed += size
                    } else {
                        frames[index].thumbnail = ""
                        frames[index].placeholder = "left out: the page is kept under \(Self.bytes(options.maxPageBytes))"
                        thumbnailsLeftOut += 1
                    }
                    frames[index].setFlags()
                }
                trace?.frames = frames
            }
            let opensAsExample = !isPass && result.verdict != .skipped && causesOpened.insert(row.cause).inserted
            var detail = ScenarioDetail(
                row: row, collapsed: session == nil && !opensAsExample, reason: result.reason ?? "", source: result.source, file: result.file,
                faults: result.faults.joined(separator: ", "), seed: String(result.seed),
                violations: result.violations.prefix(options.maxViolationsPerScenario).map { violation in
                    ViolationModel(ruleID: violation.ruleID, level: violation.level, statement: violation.statement,
                                   source: violation.source, diff: TextDiff.lines(expected: violation.expected, observed: violation.observed))
                },
                violationsLeftOut: max(0, result.violations.count - options.maxViolationsPerScenario),
                reproduction: result.reproduction, wireExcerpt: cut(result.wireExcerpt), clientLog: cut(result.clientLog), trace: trace)
            detail.setFlags()
            details.append(detail)
        }
        // Failures first, then harness errors, SHOULD-only findings, skips, and passes.
        let rank: [String: Int] = ["fail": 0, "error": 1, "non-strict": 2, "skipped": 3, "pass": 4]
        details = details.enumerated().sorted { a, b in
            let (left, right) = (rank[a.element.row.verdict] ?? 5, rank[b.element.row.verdict] ?? 5)
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
        let anchors = Dictionary(details.map { ($0.row.id, $0.row.anchor) }, uniquingKeysWith: { first, _ in first })
        var totals = VerdictCounts()
        results.forEach { totals.add($0.verdict) }
        var page = PageModel(
            title: session.map { "Session \($0)" } ?? "Tapedeck run", isSession: session != nil,
            tool: report.tool, startedAt: report.startedAt, duration: TimelineLayout.seconds(report.duration),
            clientName: client, clientMode: report.client.mode, clientVersion: report.client.version ?? "",
            clientCommand: report.client.command ?? "", selection: report.selection, totals: totals,
            dimensions: [
                Dimension.of("surface", title: "Surface", results) { $0.surface },
                Dimension.of("dialect", title: "Dialect", results) { $0.dialect },
                Dimension.of("strategy", title: "Strategy", results) { $0.strategy },
                Dimension.of("client", title: "Client", results) { _ in client },
            ],
            overview: OverviewMatrix(results, anchors: anchors),
            causes: session == nil ? FailureCauses.groups(results, anchors: anchors) : [],
            rows: rows, rowsLeftOut: results.count - rows.count, details: details, detailsLeftOut: failingLeftOut,
            thumbnailsLeftOut: thumbnailsLeftOut, pageLimit: Self.bytes(options.maxPageBytes))
        page.setFlags()
        return page
    }

    func traceModel(_ trace: SessionTrace) -> TraceModel {
        let frames = trace.images.map { image in
            let thumbnail = Self.isSafeThumbnail(image.thumbnail) ? image.thumbnail! : ""
            let placeholder: String = switch image.status {
            case .missing: "missing"
            case .truncated: "truncated"
            case .corrupt: "corrupt"
            case .ok: "no thumbnail"
            }
            var frame = FrameModel(
                label: "\(image.role.rawValue) \(image.index)", role: image.role.rawValue, status: image.status.rawValue,
                format: image.format ?? "unknown format",
                size: image.width.flatMap { w in image.height.map { "\(w)×\($0)" } } ?? "size unknown",
                time: TimelineLayout.seconds(image.time), bytes: Self.bytes(image.byteCount), problem: image.problem ?? "",
                thumbnail: thumbnail, placeholder: placeholder)
            frame.setFlags()
            return frame
        }
        var model = TraceModel(frames: frames, timeline: TimelineLayout(trace), ending: trace.ending, byteCount: trace.byteCount,
                               chunkCount: trace.chunks.count, chunksOmitted: trace.chunksOmitted, eventCount: trace.events.count,
                               unterminatedEventStart: trace.unterminatedEventStart.map(String.init) ?? "")
        model.setFlags()
        return model
    }

    /// Only PNG data URLs of plain base64 reach an `src` attribute.
    static func isSafeThumbnail(_ url: String?) -> Bool {
        let prefix = "data:image/png;base64,"
        guard let url, url.hasPrefix(prefix) else { return false }
        return url.utf8.dropFirst(prefix.utf8.count).allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
        }
    }

    func cut(_ text: String) -> String {
        guard text.count > options.maxExcerptCharacters else { return text }
        return String(text.prefix(options.maxExcerptCharacters)) + "\n… (\(text.count - options.maxExcerptCharacters) more characters)"
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1 << 20 { return "\(Double(count * 10 / 1024) / 10) KB" }
        return "\(Double(count * 10 / (1 << 20)) / 10) MB"
    }
}
