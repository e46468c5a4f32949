/// Checks of a progress socket recorded next to an exchange (a dialect's `progress:`).
/// Each does nothing without a recording, or for a dialect without a progress channel.
enum ProgressChecks {
    static let all: [Check] = [
        Check("progress-framing") { context in
            guard let read = context.progressMessages else { return [] }
            var violations = read.problems.map { index, problem in
                Violation(.progress(frame: index), problem.description)
            }
            if let recording = context.progress, recording.transport == .socketIO, let first = recording.frames.first, !first.text.hasPrefix("0{") {
                violations.append(Violation(.progress(frame: 0), "an Engine.IO session starts with an open packet", expected: "0{\"sid\":…}", actual: WireChecks.preview(first.text, limit: 40)))
            }
            return violations
        },
        Check("progress-percent-in-range") { context in
            guard let read = context.progressMessages else { return [] }
            return read.messages.compactMap { index, message in
                guard case .progress(let percent) = message.kind, !(0...100).contains(percent) else { return nil }
                return Violation(.progress(frame: index), "progress says \(Self.percent(percent)), outside 0–100", expected: "0 to 100", actual: Self.percent(percent))
            }
        },
        Check("progress-never-decreases") { context in
            guard let read = context.progressMessages else { return [] }
            var highest: [String: Double] = [:]
            var violations: [Violation] = []
            for (index, message) in read.messages {
                guard case .progress(let percent) = message.kind else { continue }
                let job = message.job ?? ""
                if let before = highest[job], percent < before {
                    violations.append(Violation(.progress(frame: index), "progress of job \(job) goes back from \(Self.percent(before)) to \(Self.percent(percent))", expected: "at least \(Self.percent(before))", actual: Self.percent(percent)))
                }
                highest[job] = max(highest[job] ?? percent, percent)
            }
            return violations
        },
        Check("progress-terminal-before-image") { context in
            guard let read = context.progressMessages, let recording = context.progress else { return [] }
            let terminal = read.messages.filter { $0.1.isTerminal }
            return recording.jobs.compactMap { job in
                guard let (index, _) = terminal.first(where: { $0.1.job == job }) else {
                    return Violation(.progress(frame: recording.frames.count), "no message says job \(job) is done (100 % or completion)", expected: "100 % or completion", actual: "none")
                }
                let arrived = recording.frames[index].seconds
                guard let end = recording.answerEndedSeconds, arrived > end else { return nil }
                return Violation(.progress(frame: index), "job \(job) is said done \(Self.seconds(arrived - end)) after its image arrived", expected: "by \(Self.seconds(end))", actual: Self.seconds(arrived))
            }
        },
        Check("progress-names-known-job") { context in
            guard let read = context.progressMessages, let recording = context.progress else { return [] }
            let known = Set(recording.jobs)
            return read.messages.compactMap { index, message in
                guard let job = message.job else {
                    return Violation(.progress(frame: index), "the message names no job", expected: "a job the answer names", actual: "none")
                }
                guard !known.contains(job) else { return nil }
                return Violation(.progress(frame: index), "the message names job \(job), which no answer named", expected: known.sorted().joined(separator: ", "), actual: job)
            }
        },
    ]

    static func seconds(_ value: Double) -> String {
        "\((value * 1000).rounded() / 1000) s"
    }

    static func percent(_ value: Double) -> String {
        value.rounded() == value ? "\(Int(value)) %" : "\(value) %"
    }
}

/// A recording's frames read through the dialect's progress spec.
struct ReadProgress: Sendable {
    var messages: [(Int, ProgressMessage)] = []
    var problems: [(Int, ProgressFrameProblem)] = []

    init(_ recording: ProgressRecording, spec: ProgressSpec) {
        for (index, frame) in recording.frames.enumerated() {
            do {
                if let message = try ProgressReading.message(in: frame.text, transport: recording.transport, spec: spec) {
                    messages.append((index, message))
                }
            } catch {
                problems.append((index, error))
            }
        }
    }
}
