/// The progress socket recorded next to a cassette's exchange (format `tapedeck-cassette/2`):
/// every frame the server sent, as text, with its arrival time since the request was sent.
/// Replay sends the frames as recorded, at their times; `validate` reads them with the
/// dialect's PROGRESS rules. See Cassettes/README.md, "The progress section".
public struct ProgressTape: Hashable, Sendable {
    /// `socket.io` (Engine.IO v4 packets, each a frame's text) or `websocket` (plain JSON messages).
    public var transport: String
    /// Where the socket was opened, such as `ws://host/socket.io/?EIO=4&transport=websocket`.
    public var url: String
    /// For Socket.IO: the namespace joined, such as `/image-progress`.
    public var namespace: String?
    public var frames: [Frame]

    public struct Frame: Hashable, Sendable {
        /// Since the HTTP request was sent; frames that came before it are at zero.
        public var at: Duration
        public var text: String

        public init(at: Duration, text: String) {
            self.at = at
            self.text = text
        }
    }

    public init(transport: String, url: String, namespace: String?, frames: [Frame]) {
        self.transport = transport
        self.url = url
        self.namespace = namespace
        self.frames = frames
    }
}
