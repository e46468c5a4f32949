import ImageFormats
import Reports

/// Compares what a client observed with what it had to show, rule by rule.
enum Judge {
    static func violations(expected: ClientExpectation, observed: Observation, timeout: Double) -> [Violation] {
        var found: [Violation] = []
        func add(_ rule: ClientRule, expected: String, observed: String) {
            found.append(Violation(ruleID: rule.id, level: rule.level.rawValue, statement: rule.statement, source: rule.source, expected: expected, observed: observed))
        }
        if observed.timedOut {
            add(.finishesInTime, expected: "the client exits within \(format(timeout)) s", observed: "it was still running and was killed")
            return found
        }
        let outcome = describeOutcome(observed)
        if expected.successRequired, observed.reportedError {
            add(.succeedsOnConformantStream, expected: "success: exit 0 and no error.json", observed: outcome)
        }
        if let why = expected.errorRequired, !observed.reportedError {
            add(.reportsBrokenResponses, expected: "an error, because \(why)", observed: outcome + ", no error reported")
        }
        if let wire = expected.wireEvents {
            let seen = observed.events.map { ClientExpectation.WireEvent(type: $0.type, data: $0.data ?? "", id: $0.id ?? "") }
            if seen != wire {
                add(.dispatchesWHATWGEvents, expected: listing(wire.map(describe)), observed: listing(seen.map(describe)) + firstDifference(wire.map(describe), seen.map(describe)))
            }
            return found
        }
        checkEvents(expected, observed, add: add)
        checkFinals(expected, observed, add: add)
        if let status = expected.httpStatus, let error = observed.error, error.status != status {
            add(.errorCarriesStatus, expected: "error.json with \"status\": \(status)", observed: error.status.map { "\"status\": \($0)" } ?? "no status in error.json")
        }
        return found
    }

    private static func checkEvents(_ expected: ClientExpectation, _ observed: Observation, add: (ClientRule, String, String) -> Void) {
        // An error event may be reported as an error instead of surfaced: leave those out on both sides.
        let optional = Set(expected.events.filter(\.mayBeReportedInstead).map(\.type))
        let wanted = expected.events.filter { !$0.mayBeReportedInstead }
        let seen = observed.events.filter { !optional.contains($0.type) }
        let wantedText = wanted.map { describe(type: $0.type, partial: $0.partialImageIndex) }
        let seenText = seen.map { describe(type: $0.type, partial: $0.partialImageIndex) }
        // A reset may lose what was in flight, and a client that reports an error may stop
        // there: either way the events it did surface must be the first ones, in order.
        let mayStop = expected.eventsMayBeCut || (expected.errorRequired != nil && observed.reportedError)
        let matches = mayStop ? wantedText.starts(with: seenText) : wantedText == seenText
        if !matches {
            let qualifier = mayStop ? " (or the start of it, up to the error)" : ""
            add(.surfacesEveryEvent, listing(wantedText) + qualifier, listing(seenText) + firstDifference(wantedText, seenText))
            return
        }
        for (want, saw) in zip(wanted, seen) {
            guard let usage = saw.usage, let wantedUsage = want.usage else { continue }
            if usage != wantedUsage {
                add(.reportsDeliveredUsage, "usage of \(want.type): \(wantedUsage)", "\(usage)")
            }
        }
    }

    private static func checkFinals(_ expected: ClientExpectation, _ observed: Observation, add: (ClientRule, String, String) -> Void) {
        for (index, final) in observed.finals.enumerated() {
            switch final {
            case .url(let url):
                if index < expected.finals.count, case .url(let wanted) = expected.finals[index].content, wanted == url { continue }
                let wanted = index < expected.finals.count ? describe(expected.finals[index]) : "no final image \(index)"
                add(.presentsDeliveredImages, wanted, "final-\(index).url: \(url)")
            case .bytes(let bytes):
                let digest = ImagePayloadText.sha256(bytes)
                if index < expected.finals.count, case .bytes(let wanted, _, _) = expected.finals[index].content, wanted == digest { continue }
                if let broken = expected.brokenFinals.first(where: { $0.sha256 == digest }) {
                    add(.neverPresentsBrokenImage, "no final image presented from \(broken.problem)", "final-\(index) presented: the broken image, \(bytes.count) bytes, sha256 \(digest.prefix(16))…")
                    continue
                }
                let inspection = ImageInspector.inspect(bytes)
                if !inspection.isComplete {
                    let problem = inspection.problems.first.map { "\($0)" } ?? "not a PNG, JPEG or WebP image"
                    add(.neverPresentsBrokenImage, index < expected.finals.count ? describe(expected.finals[index]) : "no final image \(index)", "final-\(index): \(bytes.count) bytes that are not a whole image (\(problem))")
                } else {
                    let wanted = index < expected.finals.count ? describe(expected.finals[index]) : "no final image \(index) (only \(expected.finals.count) intact)"
                    add(.presentsDeliveredImages, wanted, "final-\(index): \(bytes.count) bytes, sha256 \(digest.prefix(16))…")
                }
            }
        }
        if expected.successRequired, observed.finals.count < expected.finals.count {
            let missing = expected.finals[observed.finals.count...].map(describe).joined(separator: "; ")
            add(.presentsDeliveredImages, "\(expected.finals.count) final image(s)", "\(observed.finals.count) presented; missing: \(missing)")
        }
    }

    static func describeOutcome(_ observed: Observation) -> String {
        var text = "exit \(observed.exitCode)"
        if let error = observed.error {
            text += ", error.json: \(error.message.prefix(200))"
            if let status = error.status { text += " (status \(status))" }
        }
        return text
    }

    private static func describe(type: String, partial: Int?) -> String {
        partial.map { "\(type)[\($0)]" } ?? type
    }

    private static func describe(_ event: ClientExpectation.WireEvent) -> String {
        "\(event.type) data=\(String(reflecting: event.data)) id=\(String(reflecting: event.id))"
    }

    private static func describe(_ image: ClientExpectation.FinalImage) -> String {
        switch image.content {
        case .bytes(let digest, let count, let format): "\(format), \(count) bytes, sha256 \(digest.prefix(16))… from \(image.origin)"
        case .url(let url): "the URL \(url) from \(image.origin)"
        }
    }

    private static func listing(_ items: [String]) -> String {
        items.isEmpty ? "(none)" : items.count > 24 ? items.prefix(24).joined(separator: ", ") + ", … (\(items.count) in all)" : items.joined(separator: ", ")
    }

    private static func firstDifference(_ wanted: [String], _ seen: [String]) -> String {
        let index = zip(wanted, seen).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(wanted.count, seen.count)
        let want = index < wanted.count ? wanted[index] : "nothing more"
        let saw = index < seen.count ? seen[index] : "nothing more"
        return " — first difference at event \(index): expected \(want), saw \(saw)"
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
