import Synchronization

/// Byte arrays by key within a budget of bytes, the oldest dropped first: made images, which
/// take a moment to make and are asked for again and again by a fuzz suite.
public final class ByteCache<Key: Hashable & Sendable>: Sendable {
    private struct State: Sendable {
        var values: [Key: [UInt8]] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    private let limitBytes: Int
    private let state = Mutex(State())

    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// The value for `key`, made by `make` (outside the lock) when it is not kept. A value
    /// larger than the whole budget is returned but not kept.
    public func value(for key: Key, make: () throws -> [UInt8]) rethrows -> [UInt8] {
        if let kept = state.withLock({ $0.values[key] }) { return kept }
        let value = try make()
        state.withLock { state in
            guard state.values[key] == nil, value.count <= limitBytes else { return }
            state.values[key] = value
            state.order.append(key)
            state.bytes += value.count
            while state.bytes > limitBytes, let oldest = state.order.first {
                state.order.removeFirst()
                state.bytes -= state.values.removeValue(forKey: oldest)?.count ?? 0
            }
        }
        return value
    }
}
