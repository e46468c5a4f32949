/// One event dispatched by an event stream, as the WHATWG "interpreting an event stream"
/// algorithm defines it, plus where its bytes were in the stream.
public struct SSEEvent: Hashable, Sendable {
    /// The value of the block's last `event` field, or "" when it had none (or an empty one).
    public var eventField: String
    /// The data buffer with its final LF removed.
    public var data: String
    /// The last event ID string at dispatch. It persists across events until an `id` field changes it.
    public var lastEventID: String
    /// The reconnection time, in milliseconds, set by a `retry` field since the previous event, if any.
    public var retry: Int?
    /// Offsets in the stream (a leading BOM included) of the block's first byte and of the
    /// line end that dispatched it. For a CRLF terminator that is the CR: dispatch never waits
    /// for a byte that may not come.
    public var byteRange: ClosedRange<Int>

    public init(
        eventField: String = "",
        data: String,
        lastEventID: String = "",
        retry: Int? = nil,
        byteRange: ClosedRange<Int> = 0...0
    ) {
        self.eventField = eventField
        self.data = data
        self.lastEventID = lastEventID
        self.retry = retry
        self.byteRange = byteRange
    }

    /// The event type a client sees: the `event` field, or `message` when it was absent or empty.
    public var type: String { eventField.isEmpty ? "message" : eventField }
}
