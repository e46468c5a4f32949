import Delivery
import Synchronization

/// The planned deliveries the server holds, within a budget of bytes.
///
/// A delivery's body is held until its last byte reached the socket, so a client that stops
/// reading keeps it alive. Two rules keep that from becoming the server's memory: equal
/// answers (same cassette or synthesis parameters, same scenario) share one body however
/// many clients hold it, and the bodies in use never add up to more than the budget. A
/// request whose answer does not fit waits, holding nothing, until one does; the only
/// exception is an answer bigger than the whole budget, which is served when nothing else is.
/// Bodies no longer in use stay kept for the next equal request while everything held stays
/// under ``keepBytes``.
final class DeliveryStore: Sendable {
    struct Key: Hashable, Sendable {
        let answer: ResponseResolver.Choice.Key
        let scenario: Scenario
    }

    /// A delivery ready to write, and what the log says of it.
    struct Delivery: Sendable {
        let writer: DeliveryWriter
        let description: String
        let fragmentCount: Int
        let ending: Ending
        /// The bytes this delivery adds to the server: zero when its body is a cassette's,
        /// which the server holds anyway.
        let heldBytes: Int
    }

    private struct Entry {
        let delivery: Delivery
        var users: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytesInUse = 0
        var bytesKept = 0
        var clock: UInt64 = 0
    }

    let budgetBytes: Int
    /// What keeping one delivery costs beyond its body and fragments: plan, headers, entry.
    static let entryOverhead = 512
    private let state = Mutex(State())

    /// What may stay held when nobody is reading: a fuzz suite's repeated answers, without
    /// the server keeping its whole budget after a burst.
    let keepBytes: Int

    init(budgetBytes: Int) {
        self.budgetBytes = budgetBytes
        self.keepBytes = min(budgetBytes, 256 << 20)
    }

    /// A kept delivery of `key`, now in use by the caller until ``release(_:)``.
    func checkout(_ key: Key) -> Delivery? {
        state.withLock { Self.checkout(key, in: &$0) }
    }

    /// Keeps `delivery` and marks it in use, if it fits beside the bodies in use; returns
    /// whether it did. Another request may have kept an equal one meanwhile: then that one is
    /// returned, and `delivery` is dropped.
    func admit(_ delivery: Delivery, as key: Key) -> Delivery? {
        state.withLock { state in
            if let kept = Self.checkout(key, in: &state) { return kept }
            guard state.bytesInUse == 0 || state.bytesInUse + delivery.heldBytes <= budgetBytes else { return nil }
            state.clock += 1
            state.entries[key] = Entry(delivery: delivery, users: 1, lastUse: state.clock)
            state.bytesInUse += delivery.heldBytes
            state.bytesKept += delivery.heldBytes
            Self.dropUnused(&state, above: keepBytes)
            return delivery
        }
    }

    /// Whether an answer of `bytes` would fit beside the bodies in use now.
    func hasRoom(for bytes: Int) -> Bool {
        state.withLock { $0.bytesInUse == 0 || $0.bytesInUse + bytes <= budgetBytes }
    }

    private static func checkout(_ key: Key, in state: inout State) -> Delivery? {
        guard var entry = state.entries[key] else { return nil }
        if entry.users == 0 { state.bytesInUse += entry.delivery.heldBytes }
        entry.users += 1
        state.clock += 1
        entry.lastUse = state.clock
        state.entries[key] = entry
        return entry.delivery
    }

    /// The caller has written `key`'s delivery (or given up on it).
    func release(_ key: Key) {
        state.withLock { state in
            guard var entry = state.entries[key] else { return }
            entry.users -= 1
            if entry.users == 0 { state.bytesInUse -= entry.delivery.heldBytes }
            state.entries[key] = entry
            Self.dropUnused(&state, above: keepBytes)
        }
    }

    /// Bytes held by deliveries being written now.
    var bytesInUse: Int { state.withLock { $0.bytesInUse } }
    /// Bytes held in all: in use, and kept for the next equal request.
    var bytesKept: Int { state.withLock { $0.bytesKept } }

    /// Drops the least recently used bodies nobody is writing, down to three quarters of the
    /// limit, so the sort is paid once per many requests rather than on each.
    private static func dropUnused(_ state: inout State, above limit: Int) {
        guard state.bytesKept > limit else { return }
        let target = limit - limit / 4
        let unused = state.entries.filter { $0.value.users == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
        for (key, entry) in unused where state.bytesKept > target {
            state.entries[key] = nil
            state.bytesKept -= entry.delivery.heldBytes
        }
    }
}
