/// What the server does with one response: the status and headers to send, the exact body
/// bytes, where to cut them into separate writes (each flushed on its own) and how long to
/// wait before each, and how the connection ends.
///
/// The server writes `body[fragment.range]` for each fragment in order, after waiting
/// `fragment.delay`, then waits ``finalDelay`` and ends the response as ``ending`` says.
public struct DeliveryPlan: Sendable {
    /// 200, or the status of an injected ``Fault/httpStatus(_:retryAfter:)``.
    public var status: Int
    /// `Content-Type` (`text/event-stream` for event streams, `application/json` for JSON
    /// bodies and injected error bodies) and, for an injected status with one, `Retry-After`.
    /// Never transfer framing: the server derives that from ``framing``.
    public var headers: [(String, String)]
    /// The body after every rewrite and event-level fault. It holds the payload once: each
    /// fragment is a range into it.
    public var body: [UInt8]
    /// Consecutive, non-empty ranges covering `body[0..<deliveredByteCount]`: the whole body
    /// unless a close or reset cuts it short.
    public var fragments: Fragments
    /// How the response ends once the fragments are written.
    public var ending: Ending
    /// How the server frames the body.
    public var framing: Framing
    /// A wait after the last fragment, before the response ends (from a stall at or past the
    /// end of what is delivered).
    public var finalDelay: Duration

    public init(
        status: Int,
        headers: [(String, String)],
        body: [UInt8],
        fragments: Fragments,
        ending: Ending,
        framing: Framing,
        finalDelay: Duration = .zero
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.fragments = fragments
        self.ending = ending
        self.framing = framing
        self.finalDelay = finalDelay
    }

    /// How many body bytes are written: `body.count` unless a close or reset comes first.
    public var deliveredByteCount: Int { fragments.last?.range.upperBound ?? 0 }

    /// The bytes a client receives, as slices of ``body``.
    public var deliveredChunks: some RandomAccessCollection<ArraySlice<UInt8>> {
        fragments.lazy.map { body[$0.range] }
    }

    /// The value of the first header with this name (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

extension DeliveryPlan: CustomStringConvertible {
    /// A one-line summary for logs: status, content type, sizes and the ending.
    public var description: String {
        let type = header("Content-Type") ?? "-"
        return "\(status) \(type), \(deliveredByteCount) of \(body.count) bytes in \(fragments.count) fragments, framing \(framing.rawValue), ending \(ending)"
    }
}

/// One write: a range of the plan's body, and how long to wait before writing it.
public struct Fragment: Hashable, Sendable {
    public var range: Range<Int>
    public var delay: Duration

    public init(range: Range<Int>, delay: Duration = .zero) {
        self.range = range
        self.delay = delay
    }
}

/// How a response ends after its last fragment.
public enum Ending: Hashable, Sendable {
    /// Normally: the terminating chunk (chunked framing), or a close (close framing).
    case complete
    /// A clean close (FIN) with no terminating chunk, possibly before the body is done.
    case close
    /// A TCP reset (RST), possibly before the body is done.
    case reset
}

/// The plan's fragments, stored as runs of equal-sized fragments rather than one element per
/// fragment, so that `bytes` chunking of a 24 MiB body costs a few words, not 24 Mi entries.
///
/// It is a random-access collection indexed from 0, like an array, so `for`, `count`,
/// subscripts and `map` work as on `[Fragment]`.
public struct Fragments: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// Fragments of `size` bytes from `start` (the last may be shorter) up to `end`; the first
    /// waits `delay`, the others none.
    struct Run: Hashable, Sendable {
        var start: Int
        var end: Int
        var size: Int
        var delay: Duration

        var fragmentCount: Int {
            let length = end - start
            return length / size + (length % size == 0 ? 0 : 1)
        }
    }

    private(set) var runs: [Run]
    /// The index of each run's first fragment.
    private var firstIndices: [Int]
    public let count: Int

    init(runs: [Run]) {
        self.runs = runs
        var firstIndices: [Int] = []
        firstIndices.reserveCapacity(runs.count)
        var total = 0
        for run in runs {
            firstIndices.append(total)
            total += run.fragmentCount
        }
        self.firstIndices = firstIndices
        self.count = total
    }

    /// One run per fragment.
    public init(_ fragments: [Fragment]) {
        self.init(runs: fragments.map { Run(start: $0.range.lowerBound, end: $0.range.upperBound, size: Swift.max($0.range.count, 1), delay: $0.delay) })
    }

    public init(arrayLiteral elements: Fragment...) {
        self.init(elements)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Fragment {
        precondition(position >= 0 && position < count, "fragment index out of range")
        // The last run whose first index is at most `position`.
        var low = 0
        var high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if firstIndices[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return Self.fragment(runs[low], number: position - firstIndices[low])
    }

    private static func fragment(_ run: Run, number: Int) -> Fragment {
        let start = run.start + number * run.size
        return Fragment(range: start..<Swift.min(start + run.size, run.end), delay: number == 0 ? run.delay : .zero)
    }

    public struct Iterator: IteratorProtocol {
        let runs: [Run]
        var run = 0
        var number = 0

        public mutating func next() -> Fragment? {
            while run < runs.count {
                let current = runs[run]
                if number < current.fragmentCount {
                    defer { number += 1 }
                    return Fragments.fragment(current, number: number)
                }
                run += 1
                number = 0
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(runs: runs) }

    /// About how much memory the fragments take: what a server holding many plans counts.
    public var storageBytes: Int { runs.count * (MemoryLayout<Run>.stride + MemoryLayout<Int>.stride) }

    /// The sum of every fragment's delay.
    public var totalDelay: Duration { runs.reduce(.zero) { $0 + $1.delay } }

    /// Equal when they hold the same fragments, however they are stored.
    public static func == (lhs: Fragments, rhs: Fragments) -> Bool {
        lhs.runs == rhs.runs || (lhs.count == rhs.count && lhs.elementsEqual(rhs))
    }

    public var description: String {
        count <= 16 ? "[" + map { "\($0.range)" + ($0.delay == .zero ? "" : "+\($0.delay)") }.joined(separator: ", ") + "]" : "\(count) fragments"
    }
}
