import Foundation
import HTMLReport
import ImageCodecs
import Reports
import SessionTraces
import Testing

@Suite("The HTML report page")
struct HTMLReportTests {
    @Test("the summary counts verdicts in total and per surface, dialect, strategy and client")
    func counts() throws {
        let html = HTMLReportWriter.render(try ReportFixtures.mixedReport())
        let totals = ["total-all": 4, "total-pass": 1, "total-fail": 2, "total-non-strict": 1, "total-error": 0, "total-skipped": 0]
        for (id, expected) in totals {
            #expect(ReportFixtures.number(id, in: html) == expected, "\(id)")
        }
        // One row per value: value, then pass, fail, non-strict, error, skipped, total.
        let rows: [(key: String, value: String, counts: [Int])] = [
            ("surface", "images.generate", [1, 2, 0, 0, 0, 3]),
            ("surface", "responses", [0, 0, 1, 0, 0, 1]),
            ("dialect", "openai", [1, 2, 1, 0, 0, 4]),
            ("strategy", "whole", [1, 1, 0, 0, 0, 2]),
            ("strategy", "adversarial", [0, 1, 1, 0, 0, 2]),
            ("client", "openai-python", [1, 2, 1, 0, 0, 4]),
        ]
        for row in rows {
            let pattern = try Regex("data-key=\"\(row.key)\" data-value=\"\(row.value)\"><td>[^<]*</td>((?:<td class=\"n\">[0-9]+</td>){6})")
            let match = try #require(html.firstMatch(of: pattern), "\(row.key) \(row.value)")
            let cells = String(match.output[1].substring ?? "").matches(of: /([0-9]+)</).map { Int($0.output.1)! }
            #expect(cells == row.counts, "\(row.key) \(row.value)")
        }
        #expect(html.contains("<select data-filter=\"strategy\">"))
        #expect(html.matches(of: /<tr class="scenario-row"/).count == 4)
    }

    @Test("everything the report carries is escaped: IDs, excerpts, rule statements, logs, thumbnails")
    func escaping() throws {
        var result = try ReportFixtures.result("images-generate-missing-final", verdict: .fail)
        result.id = "<script>alert('id')</script>"
        result.surface = "images.generate\"><script>alert(2)</script>"
        result.wireExcerpt = "data: </pre><script>alert('wire')</script>"
        result.clientLog = "<img src=x onerror=alert(3)>"
        result.reason = "a & b"
        result.violations = [Violation(ruleID: "X-<b>1</b>", level: "MUST", statement: "<script>alert('rule')</script>",
                                       source: "<i>src</i>", expected: "<a href='javascript:1'>", observed: "</div><script>")]
        result.trace?.images[0].thumbnail = "javascript:alert(4)"
        result.trace?.images[1].thumbnail = "data:image/png;base64,AAAA\"><script>alert(5)</script>"
        result.trace?.events[0].type = "<svg onload=alert(6)>"
        let html = HTMLReportWriter.render(ReportFixtures.report([result]))

        #expect(html.matches(of: /<script/).count == 1, "only the page's own script")
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("javascript:alert"))
        #expect(!html.contains("<b>1</b>") && !html.contains("<i>src</i>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;script&gt;alert(&#39;wire&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;script&gt;alert(&#39;rule&#39;)&lt;/script&gt;"))
        #expect(html.contains("data-surface=\"images.generate&quot;&gt;&lt;script&gt;"))
        #expect(html.contains("a &amp; b"))
        #expect(ReportFixtures.thumbnails(in: html).isEmpty, "unsafe thumbnail URLs are dropped")
    }

    @Test("a scenario that did not pass shows rules, diff, reproduction, filmstrip, timeline and wire excerpt")
    func scenarioDetail() throws {
        let html = HTMLReportWriter.render(try ReportFixtures.mixedReport())
        let sections = html.split(separator: "<section class=\"scenario").dropFirst()
        let truncated = try #require(sections.first { $0.contains("images-generate-truncated-final-image@") })
        #expect(truncated.contains("<details open>"))
        #expect(truncated.contains("CLIENT-004") && truncated.contains("A client reports an error when the stream ends"))
        #expect(truncated.contains("<div class=\"expected\">- error.json present</div>"))
        #expect(truncated.contains("<div class=\"observed\">+ no error.json</div>"))
        #expect(truncated.contains("<div class=\"same\">  no final-0.png</div>"))
        #expect(truncated.contains("tapedeck run --only &#39;images-generate-truncated-final-image@chunking=whole&#39;"))
        #expect(truncated.contains("<pre class=\"wire\">event: image_generation.partial_image"))
        // Filmstrip: two whole partials with thumbnails, then the truncated final marked.
        #expect(truncated.matches(of: /<li class="frame st-ok role-partial"><img class="thumb"/).count == 2)
        #expect(truncated.contains("<li class=\"frame st-truncated role-final\"><div class=\"placeholder\">truncated</div>"))
        #expect(truncated.contains("partial 1</b> · png · 1024×1024<br>at 520 ms"))
        // Timeline: one marker per event and per chunk arrival.
        #expect(truncated.matches(of: /<circle class="event ev-/).count == 3)
        #expect(truncated.matches(of: /<rect class="chunk"/).count == 3)

        let missing = try #require(sections.first { $0.contains("images-generate-missing-final@") })
        #expect(missing.contains("<li class=\"frame st-missing role-final\"><div class=\"placeholder\">missing</div>"))

        let passing = try #require(sections.first { $0.contains("images-generate-png-partial-2@") })
        #expect(passing.contains("<details>") && !passing.contains("<details open>"), "a passing scenario is collapsed")
    }

    @Test("the timeline shows a stall, a burst, and a cut inside an event's closing line end")
    func timelineShapes() {
        // Event 0 ends at byte 100 with CRLF (bytes 98, 99): a chunk ends at 99, inside it.
        let chunks = [
            ChunkMark(offset: 0, length: 99, time: 0.1),
            ChunkMark(offset: 99, length: 1, time: 0.2, splitsLineEnd: false),
        ] + (0..<30).map { ChunkMark(offset: 100 + $0, length: 1, time: 0.3) }   // a burst
            + [ChunkMark(offset: 130, length: 20, time: 4.3, splitsLineEnd: true),   // after a 4 s stall, cut between CR and LF
               ChunkMark(offset: 150, length: 50, time: 4.3)]
        let trace = SessionTrace(chunks: chunks, events: [
            EventMark(index: 0, type: "image_generation.partial_image", byteStart: 0, byteEnd: 100, time: 0.2, clientTime: 0.25, surfaced: true),
            EventMark(index: 1, type: "image_generation.completed", byteStart: 100, byteEnd: 200, time: 4.3, surfaced: false),
        ], images: [], ending: "closed", byteCount: 230, unterminatedEventStart: 200)
        let result = ScenarioResult(id: "stall@adversarial", surface: "images.generate", dialect: "openai", strategy: "adversarial",
                                    scenario: "chunking=adversarial", source: "s", file: "f", verdict: .fail, duration: 4.3,
                                    reproduction: "r", trace: trace)
        let html = HTMLReportWriter.render(ReportFixtures.report([result]))
        #expect(html.contains("<text class=\"stall-label\" x=\"") && html.contains(">stall 4000 ms</text>"))
        #expect(html.contains("<title>30 chunks, 30 bytes at 300 ms</title>"), "the burst is one tall tick")
        #expect(html.contains("<title>a chunk ends at byte 99, inside the line end that closes event #0</title>"))
        #expect(html.contains("<title>a chunk ends at byte 150, between a CR and its LF</title>"))
        #expect(html.matches(of: /<text class="cut"/).count == 2)
        #expect(html.contains("<title>the client surfaced #0 image_generation.partial_image at 250 ms</title>"))
        #expect(html.contains("<title>the client never surfaced #1 image_generation.completed</title>"))
        #expect(html.contains("<circle class=\"event ev-unterminated\""))
        #expect(html.contains("The body ended inside an event (from byte 200), which no client dispatches."))
        #expect(html.contains("<title>the body ended inside an event that began at byte 200: never dispatched</title>"))
    }

    @Test("a session of 200,000 events and 5,000 findings stays a small page: one marker per pixel and kind, findings capped")
    func hugeSession() {
        let count = 200_000
        let events = (0..<count).map { index -> EventMark in
            let time = Double(index) / 1000
            let type = index % 2 == 0 ? "keepalive" : "image_generation.partial_image"
            return EventMark(index: index, type: type, byteStart: index * 30, byteEnd: index * 30 + 30, time: time, clientTime: time + 0.01, surfaced: true)
        }
        let trace = SessionTrace(chunks: [ChunkMark(offset: 0, length: count * 30, time: 0)], events: events, images: [], ending: "complete", byteCount: count * 30)
        let violations = (0..<5_000).map { index in
            Violation(ruleID: "WIRE-\(index)", level: "MUST", statement: "s", source: "src", expected: "e", observed: "o")
        }
        let result = ScenarioResult(id: "huge", surface: "images.generate", dialect: "openai", strategy: "recorded", scenario: "recorded",
                                    source: "huge", file: "huge.cassette.json", verdict: .fail, duration: 200, violations: violations,
                                    reproduction: "tapedeck validate 'huge.cassette.json'", trace: trace)
        let html = HTMLReportWriter.renderSession(result, tool: "tapedeck", startedAt: "2026-12-05T00:00:00Z",
                                                  origin: ClientInfo(mode: "recorded from", name: "h", capabilities: []))
        let pageBytes = html.utf8.count
        #expect(pageBytes < 2 << 20, "\(pageBytes) bytes")
        // 901 pixel columns (x from 40 to 940), two kinds, two lanes at most.
        let markers = html.matches(of: /<circle class="(event|client)\s/).count
        #expect(markers > 100 && markers <= 4 * 901, "\(markers) markers")
        #expect(html.contains("<title>#0 keepalive at 0 ms, bytes 0–30, and "), "a merged marker says how many it holds")
        #expect(html.matches(of: /<div class="violation">/).count == 100)
        #expect(html.contains("4900 more findings are not shown"))
        #expect(html.contains("200000 events"))
    }

    @Test("the page stays under its size limit by leaving thumbnails out, and says so")
    func sizeCap() throws {
        // 24 scenarios, each with 4 thumbnails of detailed pictures (tens of kilobytes each:
        // the bundled cassettes' flat pictures make thumbnails of a few bytes).
        let results = try (0..<24).map { i in
            var result = try ReportFixtures.result("images-generate-png-partial-3", verdict: .fail, thumbnails: .none)
            result.id += "-\(i)"
            for frame in result.trace!.images.indices {
                let picture = try ImageEncoder.encode(Picture(width: 160, height: 160, seed: UInt64(i * 4 + frame)), as: .png)
                result.trace!.images[frame].thumbnail = "data:image/png;base64," + Data(picture).base64EncodedString()
            }
            return result
        }
        let report = ReportFixtures.report(results)
        let full = HTMLReportWriter.render(report)
        #expect(ReportFixtures.thumbnails(in: full).count == 96)
        #expect(!full.contains("thumbnails-left-out"))

        let limit = full.utf8.count / 2
        let capped = HTMLReportWriter.render(report, options: HTMLReportOptions(maxPageBytes: limit))
        #expect(capped.utf8.count <= limit)
        let kept = ReportFixtures.thumbnails(in: capped).count
        #expect(kept > 0 && kept < 96)
        #expect(capped.contains("<p id=\"thumbnails-left-out\">\(96 - kept) thumbnails were left out to keep this page under"))
        #expect(capped.contains("<div class=\"placeholder\">left out: the page is kept under"))
    }

    @Test("passing scenarios are collapsed and capped; failing ones beyond the cap are listed only")
    func detailCaps() throws {
        let pass = try ReportFixtures.result("images-generate-png-partial-1", verdict: .pass, thumbnails: .none)
        let fail = try ReportFixtures.result("images-generate-missing-final", verdict: .fail, thumbnails: .none)
        let results = (0..<10).map { i in var r = pass; r.id += "-\(i)"; return r } + (0..<5).map { i in var r = fail; r.id += "-\(i)"; return r }
        let html = HTMLReportWriter.render(ReportFixtures.report(results),
                                           options: HTMLReportOptions(maxDetailedScenarios: 3, maxPassingDetails: 2, maxListedScenarios: 7))
        #expect(html.matches(of: /<section class="scenario v-pass"/).count == 2)
        #expect(html.matches(of: /<section class="scenario v-fail"/).count == 3)
        #expect(html.contains("2 scenarios that did not pass are listed but not shown in full."))
        #expect(html.contains("3 passing scenarios are counted above but not listed below."))
        #expect(ReportFixtures.number("total-all", in: html) == 15)
        #expect(html.matches(of: /<tr class="scenario-row"/).count == 12, "7 passing and all 5 failing")
    }

    @Test("sections come failures first, then errors, non-strict, skipped and passes; skipped and passing ones collapsed")
    func sectionOrder() throws {
        let verdicts: [Verdict] = [.pass, .skipped, .nonStrict, .error, .fail, .fail]
        let results = try verdicts.enumerated().map { index, verdict in
            var result = try ReportFixtures.result("images-generate-png-partial-1", verdict: verdict, thumbnails: .none)
            result.id = "scenario-\(index)"
            if verdict == .skipped { result.reason = "needs the edits capability" }
            return result
        }
        let html = HTMLReportWriter.render(ReportFixtures.report(results))
        let order = html.matches(of: /<section class="scenario v-[a-z-]+" id="s-[0-9]+" data-id="scenario-([0-9])"/).map { String($0.output.1) }
        #expect(order == ["4", "5", "3", "2", "1", "0"])
        let skipped = try #require(html.split(separator: "<section ").dropFirst().first { $0.contains("data-id=\"scenario-1\"") })
        #expect(skipped.contains("<details>\n"))
        #expect(skipped.contains("scenario-1 <span class=\"summary-reason\">— needs the edits capability</span></summary>"))
    }

    @Test("the overview has a row per cassette, a column per strategy, and one linked square per scenario")
    func overviewMatrix() throws {
        let html = HTMLReportWriter.render(try ReportFixtures.mixedReport(), options: HTMLReportOptions(maxPassingDetails: 0))
        #expect(html.matches(of: /<tr data-source="/).count == 4)
        #expect(html.contains("<th>source</th><th>failed</th><th>whole</th><th>adversarial</th>"))
        let squares = html.matches(of: /<a class="sq v-([a-z-]+)" href="([^"]+)" title="([^"]+)"><\/a>/)
        #expect(squares.map { String($0.output.1) } == ["fail", "fail", "non-strict", "pass"])
        // A scenario with a section links to it; one without links to the page filtered to its ID.
        #expect(squares[0].output.2.hasPrefix("#s-"))
        #expect(squares[3].output.2 == "#id=images-generate-png-partial-2%40chunking%3Dwhole")
        #expect(squares[3].output.3 == "pass: images-generate-png-partial-2@chunking=whole")
        let missingFinalRow = try #require(html.split(separator: "<tr data-source=").first { $0.hasPrefix("\"images-generate-missing-final\"") })
        #expect(missingFinalRow.contains("<td class=\"n\">1</td><td class=\"cell\"></td><td class=\"cell\"><a class=\"sq v-fail\""),
                "its one scenario sits in the adversarial column")
    }

    @Test("failures are grouped by cause (first MUST broken × faults and rewrites), largest first, one example of each open")
    func failureCauses() throws {
        func result(_ id: String, _ verdict: Verdict, scenario: String, faults: [String] = [], rule: String? = nil) throws -> ScenarioResult {
            var result = try ReportFixtures.result("images-generate-png-partial-1", verdict: verdict, thumbnails: .none)
            result.id = id
            result.scenario = scenario
            result.faults = faults
            result.violations = rule.map { [Violation(ruleID: $0, level: "MUST", statement: "statement of \($0)", source: "docs", expected: "e", observed: "o")] } ?? []
            if verdict == .error { result.reason = "the client crashed\nwith a trace" }
            return result
        }
        let results = [
            try result("a", .fail, scenario: "fault=truncate-final-image", faults: ["truncate-final-image"], rule: "CLIENT-004"),
            try result("b", .fail, scenario: "eol=cr", rule: "CLIENT-002"),
            try result("c", .fail, scenario: "chunking=adversarial,seed=1,fault=truncate-final-image", faults: ["truncate-final-image"], rule: "CLIENT-004"),
            try result("d", .pass, scenario: "default"),
            try result("e", .fail, scenario: "shape=live,fault=truncate-final-image", faults: ["truncate-final-image"], rule: "CLIENT-004"),
            try result("f", .error, scenario: "default"),
            try result("g", .fail, scenario: "chunking=random,seed=2,eol=cr", rule: "CLIENT-002"),
            try result("h", .fail, scenario: "fault=close-after-event:2", faults: ["close-after-event:2"], rule: "CLIENT-007"),
            try result("i", .skipped, scenario: "default"),
        ]
        let html = HTMLReportWriter.render(ReportFixtures.report(results))
        let groups = html.matches(of: /<tr class="cause v-[a-z-]+" data-rule="[^"]+"><td class="rule">([^<]+)<\/td><td>([^<]+)<\/td><td class="n"><a href="([^"]+)">([0-9]+)<\/a>/)
            .map { "\($0.output.1) under \($0.output.2): \($0.output.4)" }
        #expect(groups == ["CLIENT-004 under truncate-final-image: 3", "CLIENT-002 under eol=cr: 2", "harness error under as recorded: 1", "CLIENT-007 under close-after-event: 1"])
        #expect(html.contains("<a href=\"#cause=CLIENT-004%20under%20truncate-final-image\">3</a>"))
        #expect(html.contains("<option value=\"CLIENT-004 under truncate-final-image\">CLIENT-004 under truncate-final-image (3)</option>"))
        #expect(html.contains("the client crashed"), "an error's cause is its reason's first line")
        // One section open per cause: a, b, f, h; the others of their groups collapsed.
        let open = html.matches(of: /<section class="scenario v-[a-z-]+" id="s-[0-9]+" data-id="([a-z])"[^>]*>\n<details open>/).map { String($0.output.1) }
        #expect(Set(open) == ["a", "b", "f", "h"])
        #expect(html.contains("data-id=\"c\" data-verdict=\"fail\""))
        #expect(html.matches(of: /data-cause="CLIENT-004 under truncate-final-image"/).count == 6, "3 rows and 3 sections")
    }

    @Test("a session page shows its one scenario in full, without the run's filters")
    func sessionPage() throws {
        let result = try ReportFixtures.result("responses-png-partial-2", verdict: .pass)
        let html = HTMLReportWriter.renderSession(result, tool: "tapedeck 0.4.0", startedAt: "2026-11-22T10:00:00Z",
                                                  origin: ClientInfo(mode: "recorded from", name: "api.example.com", capabilities: []))
        #expect(html.contains("<title>Session responses-png-partial-2@chunking=whole</title>"))
        #expect(html.contains("· recorded from <b>api.example.com</b> ·"))
        #expect(html.contains("<details open>"))
        #expect(!html.contains("<select data-filter"))
        #expect(ReportFixtures.thumbnails(in: html).count == 3)
    }

    @Test("writing replaces the file atomically, creating the folder, leaving nothing else behind")
    func atomicWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("html-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Reports/index.html").path
        try HTMLReportWriter.write("old", to: path)
        let report = try ReportFixtures.mixedReport()
        try HTMLReportWriter.write(report, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == HTMLReportWriter.render(report))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("Reports").path) == ["index.html"])
        #expect(throws: HTMLReportError.self) { try HTMLReportWriter.write("x", to: "/proc/version/index.html") }
    }
}
