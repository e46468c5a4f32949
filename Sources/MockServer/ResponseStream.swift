#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A response written as its bytes become known, from a thread that may block.
///
/// Bytes go out at once when nothing is on its way to the socket; while a write is, the bytes
/// that arrive meanwhile wait in one batch, written as one chunk the moment that write
/// completes. So a byte is never held longer than one write, and a fast source (libcurl hands
/// over 16 KiB at a time) crosses to the event loop in a few large writes instead of one hop
/// per piece. When `maxBatch` bytes wait, the writer blocks: a slow client slows the source
/// instead of growing memory.
///
/// A client that goes away does not stop the writer: later writes are dropped and
/// `clientGone` says so, so whatever produces the bytes (a recording) can still finish.
public final class ResponseStream: @unchecked Sendable {
    private struct State {
        var batch: ByteBuffer
        /// The write on its way to the socket, if any.
        var current: EventLoopFuture<Void>?
        var writing = false
        var clientGone = false
    }

    private let channel: any Channel
    /// The request answered: a browser's gets the cross-origin fields (see ``CrossOrigin``).
    private let request: HTTPRequestHead
    private let state: NIOLockedValueBox<State>
    private var headSent = false
    private(set) var finished = false
    /// Whether the response ended with its terminating chunk (rather than a dropped connection).
    private(set) var endedCleanly = false

    static let maxBatch = 4 << 20
    static let initialBatch = 256 << 10

    init(channel: any Channel, answering request: HTTPRequestHead) {
        self.channel = channel
        self.request = request
        self.state = NIOLockedValueBox(State(batch: channel.allocator.buffer(capacity: 0)))
    }

    /// Whether the client stopped reading (its connection closed or failed).
    public var clientGone: Bool { state.withLockedValue { $0.clientGone } }

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
        CrossOrigin.allow(&fields, for: request)
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
        do {
            try channel.writeAndFlush(HTTPServerResponsePart.head(head)).wait()
        } catch {
            state.withLockedValue { $0.clientGone = true }
        }
    }

    /// Sends these bytes now, or with the next write when one is on its way.
    public func body(_ bytes: UnsafeRawBufferPointer) {
        guard headSent, !finished, !bytes.isEmpty else { return }
        while state.withLockedValue({ $0.batch.readableBytes >= Self.maxBatch && !$0.clientGone }) {
            waitForProgress()
        }
        let send: ByteBuffer? = state.withLockedValue { state in
            guard !state.clientGone else { return nil }
            if state.batch.readableBytes == 0 {
                // Room for what usually gathers during one write, so a batch is not regrown
                // (and copied) piece by piece.
                state.batch.reserveCapacity(max(bytes.count, Self.initialBatch))
            }
            state.batch.writeBytes(bytes)
            guard !state.writing else { return nil }
            state.writing = true
            return takeBatch(&state)
        }
        if let send { write(send) }
    }

    /// Ends the response normally, once every byte reached the socket.
    public func end() {
        guard headSent, !finished else { return }
        drain()
        finished = true
        guard !clientGone else { return }
        do {
            try channel.writeAndFlush(HTTPServerResponsePart.end(nil)).wait()
            endedCleanly = true
        } catch {
            state.withLockedValue { $0.clientGone = true }
        }
    }

    /// Ends the response by closing the connection without its terminating chunk, as an
    /// upstream that broke mid-response: the client sees a truncated body.
    public func abort() {
        guard !finished else { return }
        drain()
        finished = true
        channel.close(promise: nil)
    }

    private func takeBatch(_ state: inout State) -> ByteBuffer {
        let taken = state.batch
        state.batch = channel.allocator.buffer(capacity: 0)
        return taken
    }

    /// Writes a batch; when it completes, writes whatever gathered meanwhile, or stops.
    private func write(_ batch: ByteBuffer) {
        let future = channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(batch)))
        state.withLockedValue { $0.current = future }
        future.whenComplete { result in
            let next: ByteBuffer? = self.state.withLockedValue { state in
                state.current = nil
                if case .failure = result {
                    state.clientGone = true
                    state.batch.clear()
                }
                guard !state.clientGone, state.batch.readableBytes > 0 else {
                    state.writing = false
                    return nil
                }
                return self.takeBatch(&state)
            }
            if let next { self.write(next) }
        }
    }

    /// Blocks until the write on its way completes (writes complete in order, so that is
    /// progress).
    private func waitForProgress() {
        let (writing, current) = state.withLockedValue { ($0.writing, $0.current) }
        guard writing else { return }
        guard let current else {
            // Between a write's completion and the next's start: a moment.
            sched_yield()
            return
        }
        _ = try? current.wait()
    }

    /// Blocks until nothing waits and nothing is on its way.
    private func drain() {
        while state.withLockedValue({ $0.writing || ($0.batch.readableBytes > 0 && !$0.clientGone) }) {
            waitForProgress()
        }
    }
}
