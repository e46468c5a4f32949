import Cassette
import Delivery
import ImageStreamSpec
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synthesis

/// The mock server: replays cassettes or synthesizes responses, and delivers them the way a
/// scenario says (chunk splits, line endings, heartbeats, framing, faults).
public final class MockServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        public var cassettes: [Cassette] = []
        /// Plain event streams served at `GET /v1/events/<name>`, delivered like any stream.
        public var eventStreams: [String: [UInt8]] = [:]
        public var synthesize = false
        public var dialect = SpecCatalog.defaultDialect
        public var matchFields = ResponseResolver.defaultMatchFields
        /// The scenario for requests whose URL names none.
        public var defaultScenario = Scenario()
        /// Request bodies larger than this are refused with 413.
        public var maxRequestBytes = 64 << 20
        /// How long a request's head may take to arrive after its first byte before the
        /// connection is closed (slowloris).
        public var headerTimeout: Duration = .seconds(30)
        /// The most bytes of response bodies held for clients at once (see ``DeliveryStore``).
        public var deliveryMemory = 1 << 30
        /// How long a request waits for room in `deliveryMemory` before a 503.
        public var deliveryWait: Duration = .seconds(30)
        /// Called with one line per request: what was answered, and how to reproduce it.
        public var log: @Sendable (String) -> Void = { _ in }
        /// Keeps every request by the scenario and cassette its URL names, with its answer, for
        /// the runner to judge (nil: nothing is kept).
        public var journal: RequestJournal?
        /// Answers every request in the resolver's place (a recording proxy); the server still
        /// reads the request and carries out replays through the request's scenario.
        public var interceptor: (any RequestInterceptor)?
        /// Engine.IO's heartbeat on progress sockets, in place of the dialect's
        /// `ping_interval_ms`/`ping_timeout_ms` (nil: the dialect's).
        public var progressHeartbeat: (interval: Duration, timeout: Duration)?

        public init() {}
    }

    let configuration: Configuration
    let catalog: SpecCatalog
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: NIOAsyncChannel<EventLoopFuture<Accepted>, Never>
    /// What a new connection turned out to be.
    enum Accepted: Sendable {
        case http(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
        /// A progress socket; with a refusal when its query asks for what is not served.
        case progress(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, ProgressEndpoint, ProgressEndpoint.Refusal?)
    }
    /// The progress channels of the catalog's dialects (``ProgressSpec``), and their sockets.
    public let progressSpecs: [ProgressSpec]
    let progress = ProgressHub()
    /// How many progress sockets are open.
    public var progressSocketsOpen: Int { progress.openSockets }
    /// The address clients use, such as http://127.0.0.1:8080.
    public let baseURL: String
    public let port: Int
    let resolver: ResponseResolver
    /// The bodies being delivered, shared between equal answers and held within a budget.
    let deliveries: DeliveryStore
    /// The open client connections, and whether each is answering a request.
    let connections = NIOLockedValueBox<[ObjectIdentifier: (channel: any Channel, busy: Bool)]>([:])

    /// Binds the listening socket. `run()` then serves until `shutdown()`.
    public init(configuration: Configuration, catalog: SpecCatalog) async throws {
        self.configuration = configuration
        self.catalog = catalog
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let progressSpecs = Self.progressSpecs(in: catalog)
        self.progressSpecs = progressSpecs
        self.serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let deadline = HeaderDeadline(timeout: TimeAmount(configuration.headerTimeout))
                    try channel.pipeline.syncOperations.addHandler(deadline.byteWatch)
                    let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: Self.upgrades(progressSpecs, deadline: NIOLoopBound(deadline, eventLoop: channel.eventLoop))))
                    // A connection whose first request could not be read as HTTP or as an upgrade
                    // is closed and logged, never left open with no one serving it.
                    let log = configuration.log
                    return negotiated.flatMapErrorThrowing { error in
                        log("[connection] closed before its first request could be served: \(error)")
                        channel.close(promise: nil)
                        throw error
                    }
                }
            }
        let port = serverChannel.channel.localAddress?.port ?? configuration.port
        self.port = port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        self.baseURL = "http://\(host):\(port)"
        let synthesizer = configuration.synthesize ? Synthesizer(imageBaseURL: ServedImages.placeholderBase, makeImage: ImageCache.shared.image) : nil
        self.deliveries = DeliveryStore(budgetBytes: configuration.deliveryMemory)
        self.resolver = ResponseResolver(cassettes: configuration.cassettes, synthesizer: synthesizer, catalog: catalog, dialect: configuration.dialect, matchFields: configuration.matchFields)
    }

    /// Whether ``run()`` is serving: ``shutdown()`` waits for it to return before the event
    /// loops stop.
    private let serving = NIOLockedValueBox(false)

    /// Serves connections until the listening socket is closed.
    public func run() async throws {
        serving.withLockedValue { $0 = true }
        defer { serving.withLockedValue { $0 = false } }
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await accepted in inbound {
                    group.addTask {
                        switch try? await accepted.get() {
                        case .http(let connection)?:
                            await Connection(server: self, channel: connection).serve()
                        case .progress(let socket, _, let refusal?)?:
                            await ProgressSocket.refuse(socket, refusal)
                        case .progress(let socket, let endpoint, nil)?:
                            let heartbeat = self.configuration.progressHeartbeat
                            await ProgressSocket(
                                hub: self.progress, endpoint: endpoint, channel: socket,
                                pingInterval: heartbeat?.interval ?? .milliseconds(endpoint.spec.socketIO.pingIntervalMilliseconds),
                                pingTimeout: heartbeat?.timeout ?? .milliseconds(endpoint.spec.socketIO.pingTimeoutMilliseconds)
                            ).serve()
                        case nil:
                            break
                        }
                    }
                }
            }
        }
    }

    /// Closes the listening socket; `run()` returns once open connections finish. Await
    /// `run()` before ``shutdown()`` to stop without cutting connections short.
    public func stopAccepting() async {
        try? await serverChannel.channel.close()
    }

    /// Stops within a bound, whatever clients do with their sockets: stops accepting, closes
    /// idle keep-alive connections at once, lets responses under way finish for at most
    /// `grace`, then closes what is left. `run()` returns soon after.
    public func stop(grace: Duration) async {
        try? await serverChannel.channel.close()
        let deadline = ContinuousClock.now + grace
        while true {
            let open = connections.withLockedValue { $0.values }
            for connection in open where !connection.busy { connection.channel.close(promise: nil) }
            if !open.contains(where: \.busy) || ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        for connection in connections.withLockedValue({ $0.values }) { connection.channel.close(promise: nil) }
        // The answers under way see their connections close; let them end before the event
        // loops do, so none writes to a loop that is gone.
        let settled = ContinuousClock.now + .seconds(1)
        while !connections.withLockedValue({ $0.isEmpty }), ContinuousClock.now < settled {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// How many connections are answering a request right now.
    public var responsesUnderWay: Int {
        connections.withLockedValue { $0.values.count(where: \.busy) }
    }

    /// Bytes of response bodies held for deliveries under way (see ``DeliveryStore``).
    public var deliveryBytesInUse: Int { deliveries.bytesInUse }
    /// Bytes of response bodies held in all: under way, and kept for the next equal request.
    public var deliveryBytesKept: Int { deliveries.bytesKept }

    /// Stops: closes the listening socket and every connection left (call ``stop(grace:)``
    /// first to let answers under way finish), waits for their tasks to end, then stops the
    /// event loops, so nothing is scheduled on a loop that is gone.
    public func shutdown() async {
        await stop(grace: .zero)
        let settled = ContinuousClock.now + .seconds(1)
        while serving.withLockedValue({ $0 }), ContinuousClock.now < settled {
            try? await Task.sleep(for: .milliseconds(5))
        }
        try? await group.shutdownGracefully()
    }

    /// A WebSocket upgrade to a progress socket's path becomes a progress socket; every other
    /// request (a refused upgrade included) is HTTP, answered by ``Connection``.
    private static func upgrades(_ specs: [ProgressSpec], deadline: NIOLoopBound<HeaderDeadline>) -> NIOTypedHTTPServerUpgradeConfiguration<Accepted> {
        let webSocket = NIOTypedWebSocketServerUpgrader<Accepted>(
            maxFrameSize: specs.map(\.socketIO.maxPayload).max() ?? 1 << 20,
            shouldUpgrade: { channel, head in
                guard ProgressEndpoint.path(of: head.uri, among: specs) != nil else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    deadline.value.upgraded()
                    guard let endpoint = ProgressEndpoint.path(of: head.uri, among: specs) else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    var refusal: ProgressEndpoint.Refusal?
                    if case .failure(let refused)? = ProgressEndpoint.match(uri: head.uri, isUpgrade: true, among: specs) { refusal = refused }
                    return .progress(try NIOAsyncChannel(wrappingChannelSynchronously: channel), endpoint, refusal)
                }
            })
        return NIOTypedHTTPServerUpgradeConfiguration(upgraders: [webSocket]) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(deadline.value.headWatch)
                return .http(try NIOAsyncChannel(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(inboundType: HTTPServerRequestPart.self, outboundType: HTTPServerResponsePart.self)))
            }
        }
    }

    /// The progress channels of every dialect in the catalog, once each.
    static func progressSpecs(in catalog: SpecCatalog) -> [ProgressSpec] {
        var specs: [ProgressSpec] = []
        for dialect in catalog.dialectIDs {
            for surface in catalog.surfaces(ofDialect: dialect) {
                if let spec = try? catalog.resolve(surface: surface, dialect: dialect).progress, !specs.contains(spec) { specs.append(spec) }
            }
        }
        return specs
    }
}
