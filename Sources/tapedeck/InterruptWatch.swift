import Foundation
import Synchronization

/// Turns Ctrl-C and SIGTERM into a request to stop, for a command that has something to save
/// first: the first signal sets `isInterrupted`; a second ends the process at once (130).
///
/// A plain signal handler, not a dispatch source: it is in place when `init` returns, where a
/// dispatch source is armed later and a signal in between would be lost.
struct InterruptWatch: Sendable {
    private static let signals = Atomic<Int>(0)

    init() {
        _ = Self.signals.load(ordering: .relaxed)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                // Lock-free atomics and _exit only: both are safe in a signal handler.
                if InterruptWatch.signals.add(1, ordering: .sequentiallyConsistent).oldValue > 0 { _exit(130) }
            }
        }
    }

    var isInterrupted: Bool { Self.signals.load(ordering: .sequentiallyConsistent) > 0 }
}
