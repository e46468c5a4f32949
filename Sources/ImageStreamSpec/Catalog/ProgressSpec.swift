/// A dialect's real-time progress channel, read from its `progress:` block: where the sockets
/// live, how long a generation takes, and the messages' shapes. The shapes are data because
/// the gateway documents only a namespace; a deployment in front of ComfyUI sends ComfyUI's.
public struct ProgressSpec: Hashable, Sendable {
    /// The page that documents the channel (URL and section).
    public var source: String
    /// The HTTP response header that names the job whose progress the sockets carry.
    public var jobHeader: String
    /// How long a generation takes, before `time-scale`.
    public var generationSeconds: Double
    /// How many progress messages a generation sends before its completion.
    public var steps: Int
    public var socketIO: SocketIOChannel
    public var webSocket: WebSocketChannel

    /// Socket.IO v4 over Engine.IO v4, websocket transport.
    public struct SocketIOChannel: Hashable, Sendable {
        /// Such as `/socket.io/`.
        public var path: String
        /// Such as `/image-progress`.
        public var namespace: String
        public var pingIntervalMilliseconds: Int
        public var pingTimeoutMilliseconds: Int
        /// Frames larger than this close the socket (Engine.IO's `maxPayload`).
        public var maxPayload: Int
        public var messages: ProgressMessages
    }

    /// A plain WebSocket carrying one JSON message per text frame (ComfyUI's `/ws`).
    public struct WebSocketChannel: Hashable, Sendable {
        public var path: String
        public var messages: ProgressMessages
    }
}

/// What one channel's messages look like, written and read.
public struct ProgressMessages: Hashable, Sendable {
    /// Where a message says what it is: a Socket.IO event's name (nil), or a field of the
    /// message itself (`type` in ComfyUI's).
    public var kindField: String?
    public var progressKind: String
    public var completeKind: String
    /// JSON text with `$job`, `$percent`, `$step` and `$steps` standing for their values.
    public var progressTemplate: String
    public var completeTemplate: String
    /// Dotted paths into a message: the job it names, its progress value, and the value that
    /// stands for 100 % (nil: the progress value is a percentage).
    public var jobField: String
    public var percentField: String
    public var maxField: String?

    public func progress(job: String, step: Int, of steps: Int) -> String {
        let percent = steps > 0 ? step * 100 / steps : 100
        return Self.fill(progressTemplate, job: job, percent: percent, step: step, steps: steps)
    }

    public func complete(job: String, steps: Int) -> String {
        Self.fill(completeTemplate, job: job, percent: 100, step: steps, steps: steps)
    }

    /// A progress message saying `percent`, for faults that send a value no step has.
    public func progress(job: String, percent: Int, steps: Int) -> String {
        Self.fill(progressTemplate, job: job, percent: percent, step: percent * steps / 100, steps: steps)
    }

    static func fill(_ template: String, job: String, percent: Int, step: Int, steps: Int) -> String {
        template
            .replacing("$job", with: job)
            .replacing("$percent", with: String(percent))
            .replacing("$steps", with: String(steps))
            .replacing("$step", with: String(step))
    }
}

extension ProgressSpec {
    init(_ file: SpecFile.ProgressFile, path: String) throws(SpecLoadError) {
        guard file.steps > 0, file.generationSeconds >= 0 else {
            throw .invalid(path: path, reason: "progress.steps must be at least 1 and progress.generation_seconds not negative")
        }
        func messages(_ channel: SpecFile.ProgressFile.Channel, name: String) throws(SpecLoadError) -> ProgressMessages {
            for (template, key) in [(channel.progress, "progress"), (channel.complete, "complete")] where !template.contains("$job") {
                throw .invalid(path: path, reason: "progress.\(name).\(key) must name the job ($job), so a client can tell jobs apart")
            }
            return ProgressMessages(
                kindField: channel.kindField, progressKind: channel.progressKind, completeKind: channel.completeKind,
                progressTemplate: channel.progress, completeTemplate: channel.complete,
                jobField: channel.jobField, percentField: channel.percentField, maxField: channel.maxField)
        }
        guard let namespace = file.socketIO.namespace, namespace.hasPrefix("/") else {
            throw .invalid(path: path, reason: "progress.socket_io.namespace must start with /")
        }
        self.init(
            source: file.source, jobHeader: file.jobHeader, generationSeconds: file.generationSeconds, steps: file.steps,
            socketIO: SocketIOChannel(
                path: file.socketIO.path, namespace: namespace,
                pingIntervalMilliseconds: file.socketIO.pingIntervalMilliseconds ?? 25000,
                pingTimeoutMilliseconds: file.socketIO.pingTimeoutMilliseconds ?? 20000,
                maxPayload: file.socketIO.maxPayload ?? 1_000_000,
                messages: try messages(file.socketIO, name: "socket_io")),
            webSocket: WebSocketChannel(path: file.webSocket.path, messages: try messages(file.webSocket, name: "websocket")))
    }
}

extension SpecFile {
    /// A dialect's `progress:` block (see ``ProgressSpec``).
    struct ProgressFile: Decodable, Sendable {
        var source: String
        var jobHeader: String
        var generationSeconds: Double
        var steps: Int
        var socketIO: Channel
        var webSocket: Channel

        enum CodingKeys: String, CodingKey, CaseIterable {
            case source, steps
            case jobHeader = "job_header", generationSeconds = "generation_seconds"
            case socketIO = "socket_io", webSocket = "websocket"
        }

        init(from decoder: any Decoder) throws {
            try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            source = try container.decode(String.self, forKey: .source)
            jobHeader = try container.decode(String.self, forKey: .jobHeader)
            generationSeconds = try container.decode(Double.self, forKey: .generationSeconds)
            steps = try container.decode(Int.self, forKey: .steps)
            socketIO = try container.decode(Channel.self, forKey: .socketIO)
            webSocket = try container.decode(Channel.self, forKey: .webSocket)
        }

        struct Channel: Decodable, Sendable {
            var path: String
            var namespace: String?
            var pingIntervalMilliseconds: Int?
            var pingTimeoutMilliseconds: Int?
            var maxPayload: Int?
            var kindField: String?
            var progressKind: String
            var completeKind: String
            var progress: String
            var complete: String
            var jobField: String
            var percentField: String
            var maxField: String?

            enum CodingKeys: String, CodingKey, CaseIterable {
                case path, namespace, progress, complete
                case pingIntervalMilliseconds = "ping_interval_ms", pingTimeoutMilliseconds = "ping_timeout_ms", maxPayload = "max_payload"
                case kindField = "kind_field", progressKind = "progress_kind", completeKind = "complete_kind"
                case jobField = "job_field", percentField = "percent_field", maxField = "max_field"
            }

            init(from decoder: any Decoder) throws {
                try SpecKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
                let container = try decoder.container(keyedBy: CodingKeys.self)
                path = try container.decode(String.self, forKey: .path)
                namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
                pingIntervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: .pingIntervalMilliseconds)
                pingTimeoutMilliseconds = try container.decodeIfPresent(Int.self, forKey: .pingTimeoutMilliseconds)
                maxPayload = try container.decodeIfPresent(Int.self, forKey: .maxPayload)
                kindField = try container.decodeIfPresent(String.self, forKey: .kindField)
                progressKind = try container.decode(String.self, forKey: .progressKind)
                completeKind = try container.decode(String.self, forKey: .completeKind)
                progress = try container.decode(String.self, forKey: .progress)
                complete = try container.decode(String.self, forKey: .complete)
                jobField = try container.decode(String.self, forKey: .jobField)
                percentField = try container.decode(String.self, forKey: .percentField)
                maxField = try container.decodeIfPresent(String.self, forKey: .maxField)
            }
        }
    }
}
