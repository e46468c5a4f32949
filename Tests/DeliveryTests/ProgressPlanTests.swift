import Delivery
import Testing

/// What each progress fault makes of a ten-step, one-second job.
@Suite("Progress plans: the job's messages and when the answer is released")
struct ProgressPlanTests {
    static func percents(_ plan: ProgressPlan) -> [String] {
        plan.steps.map { step in
            switch step.action {
            case .progress(_, let percent): "\(percent)"
            case .complete: "complete"
            case .malformed(_, let percent): "malformed \(percent)"
            case .closeSockets: "close"
            case .dropSockets: "drop"
            }
        }
    }

    @Test("Each fault, as the grammar names it", arguments: [
        ("", "10 20 30 40 50 60 70 80 90 100 complete"),
        ("stall@40", "10 20 30 40"),
        ("backwards@50", "10 20 30 40 50 30 60 70 80 90 100 complete"),
        ("skip-100", "10 20 30 40 50 60 70 80 90 complete"),
        ("late", "10 20 30 40 50 60 70 80 90 100 complete"),
        ("close@50", "10 20 30 40 50 close"),
        ("none", ""),
        ("missed-pong", "10 20 30 40 50 drop"),
        ("malformed", "10 20 30 40 malformed 50 50 60 70 80 90 100 complete"),
    ])
    func faults(_ text: String, _ expected: String) throws {
        let fault: ProgressFault? = text.isEmpty ? nil : ProgressPlan.fault(of: try Scenario(parsing: "fault=progress:\(text)"))
        let plan = ProgressPlan(steps: 10, seconds: 1, timeScale: 1, fault: fault)
        #expect(Self.percents(plan).joined(separator: " ") == expected)
        #expect(plan.answerAt == 1)
        #expect(plan.steps.map(\.at) == plan.steps.map(\.at).sorted(), "steps go out in time order")
    }

    @Test("Late: the last progress and the completion come after the answer is released")
    func late() {
        let plan = ProgressPlan(steps: 10, seconds: 1, timeScale: 1, fault: .late)
        #expect(plan.steps.suffix(2).allSatisfy { $0.at >= plan.answerAt + 0.3 })
        #expect(plan.steps.dropLast(2).allSatisfy { $0.at <= plan.answerAt })
    }

    @Test("time-scale stretches the job; zero sends it at once")
    func timeScale() {
        #expect(ProgressPlan(steps: 4, seconds: 2, timeScale: 0.5, fault: nil).answerAt == 1)
        #expect(ProgressPlan(steps: 4, seconds: 2, timeScale: 0, fault: nil).steps.allSatisfy { $0.at == 0 })
    }

    @Test("Progress faults print back as written", arguments: ["stall@0", "backwards@99", "skip-100", "late", "close@100", "none", "missed-pong", "malformed"])
    func roundTrip(_ text: String) throws {
        let scenario = try Scenario(parsing: "fault=progress:\(text)")
        #expect(scenario.description == "fault=progress:\(text)")
    }

    @Test("Malformed progress faults are refused, naming the forms", arguments: ["progress:stall", "progress:stall@101", "progress:stall@-1", "progress:slow", "progress:close@x", "progress"])
    func refused(_ text: String) {
        #expect(throws: ScenarioError.self) { try Scenario(parsing: "fault=\(text)") }
    }
}
