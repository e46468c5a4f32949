import Foundation
import Delivery
import NIOCore
import NIOHTTP1
import NIOPosix

/// Carries out a delivery plan: the head, then each fragment written and flushed on its own
/// (after its delay), then the ending the plan asks for. Fragments are slices of one buffer:
/// the payload is never copied per fragment.
struct DeliveryWriter {
    /// The plan, without its body: that is in `buffer`.
    let plan: DeliveryPlan
    /// The least time between two writes (the scenario's `pace`).
    let pace: Duration
    /// The status sent: a fault's (an injected 500) wins over the source's (a recorded 429).
    let status: Int
    let sourceHeaders: [(String, String)]
    /// The body the fragments are slices of: the source's buffer, shared by every request that
    /// replays it when the plan did not rewrite the body (so 256 clients of one cassette hold
    /// one copy), else the plan's body, moved into a buffer once.
    let buffer: ByteBuffer
    let bodyCount: Int

    /// Takes the plan's body into a buffer and keeps the plan without it, so a rewritten body
    /// of a hundred megabytes is held once while it is written.
    init(plan: consuming DeliveryPlan, pace: Duration, sourceStatus: Int?, sourceHeaders: [(String, String)], sharedBody: ByteBuffer?) {
        self.buffer = sharedBody ?? ByteBuffer(bytes: plan.body)
        self.bodyCount = plan.body.count
        plan.body = []
        self.plan = plan
        self.pace = pace
        self.status = plan.status == 200 ? sourceStatus ?? plan.status : plan.status
        self.sourceHeaders = sourceHeaders
    }

    /// The `Retry-After` the answer carries, in seconds.
    var retryAfter: Double? {
        (plan.headers + sourceHeaders).first { $0.0.lowercased() == "retry-after" }.flatMap { Double($0.1.trimmingCharacters(in: .whitespaces)) }
    }

    /// How many flushed writes may be on their way before the writer waits for them.
    static let writesInFlight = 64

    /// Waits until every queued write reached the socket.
    private static func settle(_ pending: inout [EventLoopFuture<Void>]) async throws {
        for future in pending { try await future.get() }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the response. Returns whether the connection may serve another request.
    func write(to channel: any Channel, answering request: HTTPRequestHead, extraHeaders: [(String, String)] = []) async throws -> Bool {
        var headers = HTTPHeaders(extraHeaders)
        for (name, value) in sourceHeaders where !plan.headers.contains(where: { $0.0.lowercased() == name.lowercased() }) {
            headers.add(name: name, value: value)
        }
        for (name, value) in plan.headers { headers.add(name: name, value: value) }
        var version = HTTPVersion.http1_1
        switch plan.framing {
        case .contentLength:
            headers.replaceOrAdd(name: "Content-Length", value: String(bodyCount))
        case .chunked:
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        case .close:
            // HTTP/1.0 without a length: the body ends when the connection closes.
            version = .http1_0
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        CrossOrigin.allow(&headers, for: request)
        let status = HTTPResponseStatus(statusCode: status)
        // Written straight to the channel, each awaited until it reached the socket: the next
        // fragment waits for this one (a slow reader holds the server back, not its memory),
        // and a close or reset never overtakes data still queued.
        try await channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))).get()
        // Undelayed fragments are flushed one by one but awaited in groups, so a stream of
        // one-byte writes is not held to one event-loop round trip per byte; at most a group
        // is queued at once.
        var pending: [EventLoopFuture<Void>] = []
        for (index, fragment) in plan.fragments.enumerated() {
            let wait = index == 0 ? fragment.delay : max(fragment.delay, pace)
            if wait > .zero {
                try await Self.settle(&pending)
                try await Task.sleep(for: wait)
            }
            guard let slice = buffer.getSlice(at: fragment.range.lowerBound, length: fragment.range.count) else { continue }
            pending.append(channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(slice))))
            if pending.count >= Self.writesInFlight {
                try await Self.settle(&pending)
            }
        }
        try await Self.settle(&pending)
        if plan.finalDelay > .zero {
            try await Task.sleep(for: plan.finalDelay)
        }
        switch plan.ending {
        case .complete:
            if plan.framing == .close {
                try await channel.close()
                return false
            }
            try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
            return true
        case .close:
            try await channel.close()
            return false
        case .reset:
            // SO_LINGER with a zero timeout makes close send RST instead of FIN.
            if let socket = channel as? any SocketOptionProvider {
                try await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try await channel.close()
            return false
        }
    }
}
