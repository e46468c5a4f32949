import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C and SIGTERM into a request to stop, for a command that has something to save
/// first: the first signal sets `isInterrupted`; a second ends the process at once (130).
final class InterruptWatch: Sendable {
    private let interrupted = Atomic(false)
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    init() {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                if self?.interrupted.exchange(true, ordering: .sequentiallyConsistent) == true { Foundation.exit(130) }
            }
            source.resume()
            return source
        }
    }

    var isInterrupted: Bool { interrupted.load(ordering: .sequentiallyConsistent) }
}
