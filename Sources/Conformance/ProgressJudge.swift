import Delivery
import ImageStreamSpec
import Reports

/// Judges what a client showed of its job's progress against what the server's plan sent
/// (the same ``ProgressPlan`` the server carries out), and how the client ended when the
/// channel broke (docs/client-contract.md, Progress).
enum ProgressJudge {
    static func violations(scenario: Scenario, spec: ProgressSpec, expected: ClientExpectation, observed: Observation) -> [Violation] {
        let fault = ProgressPlan.fault(of: scenario)
        let plan = ProgressPlan(steps: spec.steps, seconds: spec.generationSeconds, timeScale: scenario.timeScale, fault: fault)
        var found: [Violation] = []
        func add(_ rule: ClientRule, _ expected: String, _ observed: String) {
            found.append(Violation(ruleID: rule.id, level: rule.level.rawValue, statement: rule.statement, source: rule.source,
                                   expected: Judge.bounded(expected), observed: Judge.bounded(observed)))
        }
        let faultText = fault.map { "progress:\($0)" } ?? "none"
        if let why = expected.errorRequired {
            // The image never comes: the client must not wait on the channel for it.
            if observed.timedOut || !observed.reportedError {
                add(.reportsAbandonedJob, "an error: the job's progress stopped (\(faultText)) and \(why)",
                    observed.timedOut ? "the client was still waiting when it was killed" : "it exited \(observed.exitCode) with no error reported")
            }
            return found
        }
        guard !observed.timedOut else { return found }
        if fault != nil, expected.successRequired, observed.reportedError {
            let gaveUp = observed.error.map { "it reported: \($0.message)" } ?? "it exited \(observed.exitCode)"
            add(.progressNeverFailsGeneration, "success: the image arrived whole, whatever the progress channel did (\(faultText))", gaveUp)
        }
        let sent = plan.steps.compactMap { step -> (at: Double, percent: Double?)? in
            switch step.action {
            case .progress(_, let percent): (step.at, Double(percent))
            case .complete: (step.at, nil)
            case .malformed, .closeSockets, .dropSockets: nil
            }
        }
        let sentPercents = sent.compactMap(\.percent)
        let shown = observed.progress.compactMap { if case .percent(let value) = $0 { value } else { nil } }
        let shownText = observed.progress.isEmpty ? "nothing" : observed.progress.map(describe).joined(separator: ", ")
        let sentText = sent.isEmpty ? "nothing" : sent.map { $0.percent.map(percent) ?? "complete" }.joined(separator: ", ")
        if let stray = shown.first(where: { value in !sentPercents.contains { abs($0 - value) < 0.5 } }) {
            add(.surfacesProgressInOrder, "percentages from what was sent: \(sentText)", "\(shownText): \(percent(stray)) was never sent for this job")
        } else if let back = zip(shown, shown.dropFirst()).first(where: { $1 < $0 }) {
            add(.surfacesProgressInOrder, "percentages that never go back (the server sent \(sentText))", "\(shownText): \(percent(back.0)) then \(percent(back.1))")
        } else {
            // What came before the answer must be shown; what comes after it (progress:late) may be missed.
            let required = sent.filter { $0.at <= plan.answerAt }
            if let last = required.last(where: { $0.percent != nil })?.percent, !shown.contains(where: { abs($0 - last) < 0.5 }) {
                add(.surfacesProgressInOrder, "the job's progress up to \(percent(last)) (sent: \(sentText))", shownText)
            } else if required.contains(where: { $0.percent == nil }), !observed.progress.contains(.complete) {
                add(.surfacesProgressInOrder, "the completion, which came before the image (sent: \(sentText))", shownText)
            }
        }
        return found
    }

    static func percent(_ value: Double) -> String {
        value.rounded() == value ? "\(Int(value)) %" : "\(value) %"
    }

    static func describe(_ progress: Observation.Progress) -> String {
        switch progress {
        case .percent(let value): percent(value)
        case .complete: "complete"
        }
    }
}
