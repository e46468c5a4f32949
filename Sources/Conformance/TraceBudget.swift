import Foundation
import Reports
import SessionTraces

/// How many traces a run still keeps: every trace costs a parse, thumbnails and report space,
/// so a run with thousands of failures keeps the first ones and the verdicts of the rest.
final class TraceBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var failing: Int
    private var passing: Int

    init(failing: Int, passing: Int) {
        self.failing = failing
        self.passing = passing
    }

    func take(passing isPass: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if isPass {
            guard passing > 0 else { return false }
            passing -= 1
        } else {
            guard failing > 0 else { return false }
            failing -= 1
        }
        return true
    }
}

extension SessionTrace {
    /// The delivered body over time, as the client read it when it said (the reference client
    /// does), else as the server planned it, with each event marked surfaced or not.
    static func of(_ delivery: DeliveredResponse, observed: Observation, expectedFinals: Int, thumbnails: ThumbnailPolicy) -> SessionTrace {
        let plan = delivery.plan
        let delivered = Array(plan.body[0..<min(plan.deliveredByteCount, plan.body.count)])
        var chunks = observed.arrivals
        if chunks.isEmpty {
            var time = 0.0
            chunks = plan.fragments.map { fragment in
                time += fragment.delay.seconds
                return ChunkMark(offset: fragment.range.lowerBound, length: fragment.range.count, time: time)
            }
        }
        let ending = switch plan.ending {
        case .complete: "complete"
        case .close: "closed"
        case .reset: "reset"
        }
        var trace = SessionTraceBuilder.build(
            body: delivered, chunks: chunks, ending: ending, isEventStream: delivery.isEventStream,
            thumbnails: thumbnails, expectedFinalImages: delivery.isEventStream ? expectedFinals : nil
        )
        // Match what the client surfaced to the delivered events, in order.
        var next = 0
        for index in trace.events.indices {
            let type = trace.events[index].type
            if let found = observed.events[next...].firstIndex(where: { $0.type == type }) {
                trace.events[index].surfaced = true
                trace.events[index].clientTime = observed.events[found].time
                next = found + 1
            } else {
                trace.events[index].surfaced = false
            }
        }
        return trace
    }
}
