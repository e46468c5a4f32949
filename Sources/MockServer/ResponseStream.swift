import NIOCore
import NIOHTTP1

/// A response written as its bytes become known, from a thread that may block: each write is
/// handed to the connection's event loop and flushed at once, so a byte leaves for the client
/// as soon as it is written here. At most `bytesInFlight` wait for the socket before a write
/// blocks, so a slow client slows the writer instead of growing its memory.
///
/// A client that goes away does not stop the writer: later writes are dropped and
/// `clientGone` says so, so whatever produces the bytes (a recording) can still finish.
public final class ResponseStream: @unchecked Sendable {
    private let channel: any Channel
    private var pending: [(future: EventLoopFuture<Void>, bytes: Int)] = []
    private var pendingBytes = 0
    private var headSent = false
    private(set) var finished = false
    /// Whether the response ended with its terminating chunk (rather than a dropped connection).
    private(set) var endedCleanly = false
    /// Whether the client stopped reading (its connection closed or failed).
    public private(set) var clientGone = false

    static let bytesInFlight = 1 << 20

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Hop-by-hop and framing headers, which the stream sets itself.
    static let framingHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"]

    /// Sends the status line and headers; the body follows chunked. Framing headers given here
    /// are dropped: this connection's framing is its own.
    public func head(status: Int, headers: [(String, String)]) {
        guard !headSent, !finished else { return }
        headSent = true
        var fields = HTTPHeaders()
        for (name, value) in headers where !Self.framingHeaders.contains(name.lowercased()) {
            fields.add(name: name, value: value)
        }
        if status >= 200, status != 204, status != 304 {
            fields.add(name: "Transfer-Encoding", value: "chunked")
        }
        send(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)), bytes: 0)
    }

    /// Sends these bytes now, as one chunk.
    public func body(_ bytes: UnsafeRawBufferPointer) {
        guard headSent, !finished, !clientGone, !bytes.isEmpty else { return }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        send(.body(.byteBuffer(buffer)), bytes: bytes.count)
    }

    /// Ends the response normally and waits until it reached the socket.
    public func end() {
        guard headSent, !finished else { return }
        send(.end(nil), bytes: 0)
        settle(downTo: 0)
        finished = true
        endedCleanly = !clientGone
    }

    /// Ends the response by closing the connection without its terminating chunk, as an
    /// upstream that broke mid-response: the client sees a truncated body.
    public func abort() {
        guard !finished else { return }
        settle(downTo: 0)
        finished = true
        channel.close(promise: nil)
    }

    private func send(_ part: HTTPServerResponsePart, bytes: Int) {
        guard !clientGone else { return }
        pending.append((channel.writeAndFlush(part), bytes))
        pendingBytes += bytes
        if pendingBytes > Self.bytesInFlight || pending.count >= 256 {
            settle(downTo: Self.bytesInFlight / 2)
        }
    }

    /// Waits for the oldest writes until at most `limit` bytes (and half the writes allowed)
    /// are on their way; with 0, for all of them.
    private func settle(downTo limit: Int) {
        let writes = limit == 0 ? 0 : 128
        while let first = pending.first, pendingBytes > limit || pending.count > writes {
            pending.removeFirst()
            pendingBytes -= first.bytes
            do {
                try first.future.wait()
            } catch {
                clientGone = true
                pending.removeAll()
                pendingBytes = 0
            }
        }
    }
}
