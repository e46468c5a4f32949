import Foundation
import ImageFormats
import Reports

/// Compares what a client observed with what it had to show, rule by rule.
enum Judge {
    static func violations(expected: ClientExpectation, observed: Observation, timeout: Double) -> [Violation] {
        var found: [Violation] = []
        func add(_ rule: ClientRule, expected: String, observed: String) {
            found.append(Violation(ruleID: rule.id, level: rule.level.rawValue, statement: rule.statement, source: rule.source, expected: bounded(expected), observed: bounded(observed)))
        }
        if observed.timedOut {
            add(.finishesInTime, expected: "the client exits within \(format(timeout)) s", observed: "it was still running and was killed")
            return found
        }
        let outcome = describeOutcome(observed)
        let hint = expected.absentMarkers.map { " (\($0))" } ?? ""
        if expected.successRequired, observed.reportedError {
            add(.succeedsOnConformantStream, expected: "success: exit 0 and no error.json" + hint, observed: outcome)
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
        checkLongEvents(expected, observed, add: add)
        checkFinals(expected, observed, hint: hint, add: add)
        checkPartials(expected, observed, add: add)
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

    /// A client that stops, on a clean stream, before an event of more than ``longEvent`` bytes
    /// has a cap on line or event length; the rule names the size it stopped at.
    private static func checkLongEvents(_ expected: ClientExpectation, _ observed: Observation, add: (ClientRule, String, String) -> Void) {
        guard expected.errorRequired == nil, !expected.eventsMayBeCut, expected.wireEvents == nil else { return }
        let wanted = expected.events
        let seen = observed.events
        let stop = zip(wanted, seen).enumerated().first { $0.element.0.type != $0.element.1.type }?.offset ?? seen.count
        guard stop < wanted.count, observed.reportedError || seen.count < wanted.count else { return }
        let event = wanted[stop]
        guard event.byteCount >= longEvent else { return }
        let reported = observed.error.map { ", reporting: \($0.message.prefix(160))" } ?? (observed.exitCode != 0 ? ", exiting \(observed.exitCode)" : "")
        add(.readsLongEvents, "event \(stop) (\(event.type)) read: \(size(event.byteCount)) on one data line", "the client stopped before event \(stop), at \(size(event.byteCount))\(reported)")
    }

    /// Events this long are where line and event caps bite (64 KiB is the smallest cap seen in
    /// real clients, openai-go's first one).
    static let longEvent = 64 << 10

    /// A byte count as people read it: `3,578,112 bytes (3.4 MiB)`.
    static func size(_ bytes: Int) -> String {
        let mebibytes = Double(bytes) / 1_048_576
        let grouped = String(bytes).reversed().enumerated().map { $0.offset > 0 && $0.offset % 3 == 0 ? ",\($0.element)" : "\($0.element)" }.reversed().joined()
        return mebibytes >= 1 ? "\(grouped) bytes (\(String(format: "%.1f", mebibytes)) MiB)" : "\(grouped) bytes (\(bytes >> 10) KiB)"
    }

    private static func checkPartials(_ expected: ClientExpectation, _ observed: Observation, add: (ClientRule, String, String) -> Void) {
        for (index, bytes) in observed.partials.enumerated() {
            let digest = ImagePayloadText.sha256(bytes)
            if index < expected.partials.count, expected.partials[index].sha256 == digest { continue }
            let wanted = index < expected.partials.count ? describe(expected.partials[index]) : "no preview \(index) (\(expected.partials.count) delivered)"
            let isFinal = expected.finals.contains { if case .bytes(let final, _, _) = $0.content { final == digest } else { false } }
            add(.presentsDeliveredPreviews, wanted, "partial-\(index): \(bytes.count) bytes, sha256 \(digest.prefix(16))…\(isFinal ? " (the final image)" : "")")
        }
        let surfaced = observed.events.filter { $0.type.hasSuffix("partial_image") }.count
        if surfaced > observed.partials.count {
            add(.presentsEveryPreview, "\(surfaced) preview image\(surfaced == 1 ? "" : "s"), one for each partial-image event surfaced", "\(observed.partials.count) presented (partial-N files)")
        }
    }

    private static func checkFinals(_ expected: ClientExpectation, _ observed: Observation, hint: String, add: (ClientRule, String, String) -> Void) {
        for (index, final) in observed.finals.enumerated() {
            switch final {
            case .url(let url):
                if index < expected.finals.count, case .url(let wanted, _) = expected.finals[index].content, wanted == url { continue }
                if let broken = expected.brokenFinals.first(where: { $0.sha256 == "url:" + url }) {
                    add(.neverPresentsBrokenImage, "no final image presented from \(broken.problem)", "final-\(index).url presented: \(url)")
                    continue
                }
                let wanted = index < expected.finals.count ? describe(expected.finals[index]) : "no final image \(index)"
                add(.presentsDeliveredImages, wanted, "final-\(index).url: \(url)")
            case .bytes(let bytes):
                let digest = ImagePayloadText.sha256(bytes)
                if index < expected.finals.count, case .bytes(let wanted, _, _) = expected.finals[index].content, wanted == digest { continue }
                // The image a delivered URL leads to, downloaded by the client.
                if index < expected.finals.count, case .url(_, let wanted?) = expected.finals[index].content, wanted == digest { continue }
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
            add(.presentsDeliveredImages, "\(expected.finals.count) final image(s)" + hint, "\(observed.finals.count) presented; missing: \(missing)")
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

    /// The longest text a finding keeps of what was expected or seen: a client's echo of a
    /// 30 MB event must not put 30 MB into run.json, JUnit and the page once per finding.
    static let textLimit = 4096

    static func bounded(_ text: String) -> String {
        guard text.utf8.count > textLimit else { return text }
        let kept = String(decoding: text.utf8.prefix(textLimit), as: UTF8.self)
        return kept + "… (\(text.utf8.count - textLimit) more bytes cut)"
    }

    private static func describe(type: String, partial: Int?) -> String {
        partial.map { "\(type)[\($0)]" } ?? type
    }

    private static func describe(_ event: ClientExpectation.WireEvent) -> String {
        "\(event.type) data=\(String(reflecting: event.data)) id=\(String(reflecting: event.id))"
    }

    private static func describe(_ image: ClientExpectation.PartialImage) -> String {
        "\(image.count) bytes, sha256 \(image.sha256.prefix(16))… from \(image.origin)"
    }

    private static func describe(_ image: ClientExpectation.FinalImage) -> String {
        switch image.content {
        case .bytes(let digest, let count, let format): "\(format), \(count) bytes, sha256 \(digest.prefix(16))… from \(image.origin)"
        case .url(let url, _): "the URL \(url) from \(image.origin)"
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
