/// When a job's progress messages go out and when its HTTP answer is released, for a dialect
/// with a progress channel. Pure: the server's hub carries it out on every connected socket.
///
/// A generation of `seconds` (times the scenario's `time-scale`) sends `steps` progress
/// messages, evenly spaced, the last at 100 %, then the completion message; the answer is
/// released right after. A ``ProgressFault`` changes that as it documents.
public struct ProgressPlan: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case progress(step: Int, percent: Int)
        case complete
        /// Half of the next progress packet, so no reader can parse it.
        case malformed(step: Int, percent: Int)
        /// A clean close of every progress socket.
        case closeSockets
        /// A ping, then the connection dropped as if its pong was missed.
        case dropSockets
    }

    public struct Step: Hashable, Sendable {
        /// Seconds after the request arrived.
        public var at: Double
        public var action: Action
    }

    public var steps: [Step]
    /// Seconds after the request arrived when the HTTP answer is released.
    public var answerAt: Double

    /// How long after the image a `progress:late` completion comes, at the least.
    static let lateBy = 0.3

    public init(steps count: Int, seconds: Double, timeScale: Double, fault: ProgressFault?) {
        let count = max(1, count)
        let scale = timeScale.isFinite && timeScale > 0 ? timeScale : 0
        let interval = max(0, seconds) * scale / Double(count)
        let percents = (1...count).map { $0 * 100 / count }
        var steps: [Step] = []
        func add(_ index: Int, _ action: Action) { steps.append(Step(at: Double(index) * interval, action: action)) }
        let answerAt = Double(count) * interval
        self.answerAt = answerAt
        switch fault {
        case nil:
            for (offset, percent) in percents.enumerated() { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
            add(count, .complete)
        case .stall(let limit)?:
            for (offset, percent) in percents.enumerated() where percent <= limit { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
        case .backwards(let turn)?:
            var turned = false
            for (offset, percent) in percents.enumerated() {
                add(offset + 1, .progress(step: offset + 1, percent: percent))
                if !turned, percent >= turn, percent < 100 {
                    turned = true
                    let back = max(0, percent - max(1, 200 / count))
                    add(offset + 1, .progress(step: offset + 1, percent: back))
                }
            }
            add(count, .complete)
        case .skip100?:
            for (offset, percent) in percents.enumerated() where percent < 100 { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
            add(count, .complete)
        case .late?:
            for (offset, percent) in percents.enumerated() where percent < 100 { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
            let after = answerAt + max(Self.lateBy, interval)
            steps.append(Step(at: after, action: .progress(step: count, percent: 100)))
            steps.append(Step(at: after, action: .complete))
        case .close(let limit)?:
            for (offset, percent) in percents.enumerated() where percent <= limit { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
            let closedAt = percents.firstIndex { $0 > limit } ?? count
            add(closedAt, .closeSockets)
        case .none?:
            break
        case .missedPong?:
            let half = (count + 1) / 2
            for (offset, percent) in percents.enumerated() where offset < half { add(offset + 1, .progress(step: offset + 1, percent: percent)) }
            add(half, .dropSockets)
        case .malformed?:
            let middle = (count + 1) / 2
            for (offset, percent) in percents.enumerated() {
                if offset + 1 == middle { add(offset + 1, .malformed(step: offset + 1, percent: percent)) }
                add(offset + 1, .progress(step: offset + 1, percent: percent))
            }
            add(count, .complete)
        }
        self.steps = steps
    }

    /// The progress fault of a scenario, when it has one (the first).
    public static func fault(of scenario: Scenario) -> ProgressFault? {
        scenario.faults.lazy.compactMap { fault -> ProgressFault? in
            if case .progress(let broken) = fault { broken } else { nil }
        }.first
    }
}
