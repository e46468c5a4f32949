import Delivery
import NIOCore
import NIOHTTP1

/// One client connection: requests read one after another (keep-alive), each answered by
/// carrying out its delivery plan.
struct Connection {
    let server: MockServer
    let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    func serve() async {
        let key = ObjectIdentifier(channel.channel)
        server.connections.withLockedValue { $0[key] = (channel.channel, false) }
        defer { _ = server.connections.withLockedValue { $0.removeValue(forKey: key) } }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        tooLarge = false
                    case .body(var chunk):
                        if body.readableBytes + chunk.readableBytes > server.configuration.maxRequestBytes {
                            tooLarge = true
                        } else {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        let exchange = Exchange(server: server, head: requestHead, body: body, bodyTooLarge: tooLarge)
                        setBusy(true)
                        defer { setBusy(false) }
                        let keepOpen = try await exchange.respond(using: outbound, channel: channel.channel)
                        head = nil
                        if !keepOpen || !requestHead.isKeepAlive { return }
                    }
                }
            }
        } catch {
            // A client that disconnects mid-stream ends only its own connection.
        }
    }

    private func setBusy(_ busy: Bool) {
        let key = ObjectIdentifier(channel.channel)
        server.connections.withLockedValue { $0[key]?.busy = busy }
    }
}
