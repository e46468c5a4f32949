import NIOCore
import NIOHTTP1

/// Closes a connection whose request head does not arrive within a bound of the request's first
/// byte, so clients that send headers a line a second (slowloris) cannot hold connections
/// forever. An idle keep-alive connection, which sends nothing, is left alone.
///
/// Two handlers share one state: `ByteWatch` sits before the HTTP decoder and sees the first
/// byte of a request; `HeadWatch` sits after it and sees the decoded head and the response's end.
final class HeaderDeadline {
    private let timeout: TimeAmount
    private var awaitingHead = true
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    var byteWatch: ByteWatch { ByteWatch(deadline: self) }
    var headWatch: HeadWatch { HeadWatch(deadline: self) }

    fileprivate func bytesArrived(_ context: ChannelHandlerContext) {
        guard awaitingHead, timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    fileprivate func headArrived() {
        awaitingHead = false
        timer?.cancel()
        timer = nil
    }

    /// The request became a WebSocket: its head has come, and no other will.
    func upgraded() {
        headArrived()
    }

    fileprivate func responseEnded() {
        awaitingHead = true
    }

    fileprivate func closed() {
        timer?.cancel()
        timer = nil
    }

    final class ByteWatch: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        private let deadline: HeaderDeadline
        fileprivate init(deadline: HeaderDeadline) { self.deadline = deadline }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadline.bytesArrived(context)
            context.fireChannelRead(data)
        }

        func channelInactive(context: ChannelHandlerContext) {
            deadline.closed()
            context.fireChannelInactive()
        }
    }

    final class HeadWatch: ChannelDuplexHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart
        private let deadline: HeaderDeadline
        fileprivate init(deadline: HeaderDeadline) { self.deadline = deadline }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) { deadline.headArrived() }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) { deadline.responseEnded() }
            context.write(data, promise: promise)
        }
    }
}
