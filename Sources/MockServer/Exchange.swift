import Cassette
import Delivery
import ImageCodecs
import ImageStreamSpec
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request and its answer.
struct Exchange {
    let server: MockServer
    let head: HTTPRequestHead
    let body: ByteBuffer
    let bodyTooLarge: Bool

    typealias Outbound = NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    /// Answers the request. Returns whether the connection may serve another one.
    func respond(using outbound: Outbound, channel: any Channel) async throws -> Bool {
        if head.method == .OPTIONS {
            // A browser's preflight, answered here even by a proxy: it asks this server, not the upstream.
            try await outbound.write(contentsOf: [.head(HTTPResponseHead(version: .http1_1, status: .noContent, headers: CrossOrigin.preflight(head))), .end(nil)])
            return true
        }
        if head.method == .GET, (try? Route.Prefixes(head.uri))?.path.hasPrefix(ServedImages.path) == true {
            return try await serveImage(outbound)
        }
        if case .failure(let refusal)? = ProgressEndpoint.match(uri: head.uri, isUpgrade: false, among: server.progressSpecs) {
            return try await refuseSocket(refusal, outbound)
        }
        if let interceptor = server.configuration.interceptor {
            return try await respond(through: interceptor, using: outbound, channel: channel)
        }
        let route: Route
        do {
            route = try Route.resolve(head.uri)
        } catch .badScenario(let text, let reason) {
            return try await answer(OpenAIError.invalidRequest("the scenario `\(text)` in the URL is not valid: \(reason)", code: "invalid_scenario"), outbound, closing: false)
        } catch {
            return try await answer(OpenAIError.notFound("Tapedeck serves POST /v1/images/generations, /v1/images/edits and /v1/responses, and GET /v1/events/<name> for the WHATWG cases (optionally under /s/<scenario>); \(head.method) \(ShellText.printable(head.uri)) is none of them"), outbound, closing: false)
        }
        if let name = route.eventStreamName {
            let ticket = journal(route, fields: nil)
            return try await serveEventStream(named: name, route: route, outbound, channel: channel, ticket: ticket)
        }
        guard head.method == .POST else {
            let error = OpenAIError(status: 405, message: "\(route.path) takes POST, not \(head.method)", type: "invalid_request_error", param: nil, code: "method_not_allowed")
            return try await answer(error, outbound, closing: false, ticket: journal(route, fields: nil))
        }
        if bodyTooLarge {
            let error = OpenAIError(status: 413, message: "the request body is larger than the server's limit of \(server.configuration.maxRequestBytes) bytes (--max-request-bytes)", type: "invalid_request_error", param: nil, code: "request_too_large")
            return try await answer(error, outbound, closing: true, ticket: journal(route, fields: nil))
        }
        let fields: RequestFields
        do {
            fields = try RequestFields.parse(body, contentType: head.headers.first(name: "content-type"))
        } catch {
            return try await answer(Self.describe(error), outbound, closing: false, ticket: journal(route, fields: nil))
        }
        let ticket = journal(route, fields: fields)
        let scenario = route.scenario ?? server.configuration.defaultScenario
        let choice: ResponseResolver.Choice
        do {
            choice = try server.resolver.choose(route: route, fields: fields, seed: scenario.seed)
        } catch {
            log(route: route, scenario: scenario, outcome: "\(error.status) \(error.message)")
            return try await answer(error, outbound, closing: false, ticket: ticket)
        }
        let key = DeliveryStore.Key(answer: choice.key, scenario: scenario)
        let delivery: DeliveryStore.Delivery
        do {
            delivery = try await deliver(choice, as: key, route: route, scenario: scenario)
        } catch {
            log(route: route, scenario: scenario, outcome: "\(error.status) \(error.message)")
            return try await answer(error, outbound, closing: error.status == 503, ticket: ticket)
        }
        defer { server.deliveries.release(key) }
        // Noted as it begins: a retry may arrive while this answer is still being written.
        ticket?.answered(status: delivery.writer.status, retryAfter: delivery.writer.retryAfter, bodyBegan: delivery.writer.status < 300 && delivery.writer.bodyCount > 0)
        let job = await progressJob(choice, route: route, scenario: scenario)
        let ending = delivery.ending == .complete ? "" : ", then \(delivery.ending)"
        let jobNote = job.map { ", job \($0.value)" } ?? ""
        log(route: route, scenario: scenario, outcome: "\(delivery.writer.status) \(delivery.description), \(delivery.fragmentCount) fragment\(delivery.fragmentCount == 1 ? "" : "s")\(ending)\(jobNote)")
        return try await delivery.writer.write(to: channel, answering: head, extraHeaders: job.map { [($0.name, $0.value)] } ?? [])
    }

    /// The delivery of `choice` in `scenario`, in use by this request until the caller releases
    /// `key`: a kept one, or one planned now on ``planningThreads``.
    /// When the server's budget for bodies in use is spent, waits for room, holding nothing,
    /// for at most `deliveryWait`; then answers 503.
    private func deliver(_ choice: ResponseResolver.Choice, as key: DeliveryStore.Key, route: Route, scenario: Scenario) async throws(OpenAIError) -> DeliveryStore.Delivery {
        let deadline = ContinuousClock.now + server.configuration.deliveryWait
        while true {
            if let kept = server.deliveries.checkout(key) { return kept }
            let needed: Int
            switch try await planAndAdmit(choice, as: key, route: route, scenario: scenario) {
            case .admitted(let delivery): return delivery
            case .noRoom(let bytes): needed = bytes
            }
            // Nothing of it is held while waiting: another client's body may have to go first.
            repeat {
                guard ContinuousClock.now < deadline else {
                    throw OpenAIError(
                        status: 503,
                        message: "Tapedeck holds \(server.deliveries.bytesInUse >> 20) MiB of responses for clients that have not read them yet, and this \(needed >> 20) MiB answer does not fit in the server's budget of \(server.deliveries.budgetBytes >> 20) MiB (serve --delivery-memory); it waited \(server.configuration.deliveryWait). Retry later, or read the responses already asked for.",
                        type: "server_error", param: nil, code: "server_busy"
                    )
                }
                try? await Task.sleep(for: .milliseconds(20))
            } while !server.deliveries.hasRoom(for: needed)
        }
    }

    /// Where answers are made and planned. Their own threads, so a 4K image being made blocks
    /// neither the event loops nor the concurrency pool (which has one thread per core), and
    /// more of them than cores, so a small answer gets its share of the CPU beside big ones
    /// instead of queueing behind them. Process-wide and never shut down, like the image cache.
    static let planningThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    private enum Admission {
        case admitted(DeliveryStore.Delivery)
        /// Planned, then dropped: only its size is kept.
        case noRoom(bytes: Int)
    }

    private func planAndAdmit(_ choice: ResponseResolver.Choice, as key: DeliveryStore.Key, route: Route, scenario: Scenario) async throws(OpenAIError) -> Admission {
        let planned: DeliveryStore.Delivery
        do {
            planned = try await Self.planningThreads.runIfActive { [self] in try plan(choice, route: route, scenario: scenario) }
        } catch let error as OpenAIError {
            throw error
        } catch {
            throw OpenAIError(status: 503, message: "Tapedeck is shutting down: \(error)", type: "server_error", param: nil, code: "server_busy")
        }
        if let admitted = server.deliveries.admit(planned, as: key) { return .admitted(admitted) }
        return .noRoom(bytes: planned.heldBytes)
    }

    /// Makes the answer's bytes and plans their delivery: the costly part of a request.
    private func plan(_ choice: ResponseResolver.Choice, route: Route, scenario: Scenario) throws(OpenAIError) -> DeliveryStore.Delivery {
        let source = try server.resolver.source(for: choice, route: route)
        let scenario = source.synthesizedFor.map { ServerDelivery.scenario(scenario, synthesizedFor: $0) } ?? scenario
        let plan = ServerDelivery.plan(body: source.body, isEventStream: source.isEventStream, surface: route.surface, dialect: source.dialect, recordedChunks: source.recordedChunks, scenario: scenario, catalog: server.catalog, imageBase: server.baseURL)
        let sharesPayload = source.body.withUnsafeBufferPointer { $0.baseAddress } == plan.body.withUnsafeBufferPointer { $0.baseAddress }
        let fragments = plan.fragments.count
        let ending = plan.ending
        let bodyBytes = sharesPayload && source.sharedBody != nil ? 0 : plan.body.count
        let writer = DeliveryWriter(plan: plan, pace: scenario.pace, sourceStatus: source.status, sourceHeaders: source.headers, sharedBody: sharesPayload ? source.sharedBody : nil)
        return DeliveryStore.Delivery(writer: writer, description: source.description, fragmentCount: fragments, ending: ending, heldBytes: bodyBytes + writer.plan.fragments.storageBytes + DeliveryStore.entryOverhead)
    }

    /// For a dialect with a progress channel: the job this request is, its progress sent to
    /// the sockets (made by ``ProgressPlan``, or a cassette's recorded frames), and the answer
    /// held until the plan releases it. Returns the header naming the job (none for a replay:
    /// the recorded answer carries its own). Nothing happens when no socket listens and the
    /// scenario breaks no progress, so other clients are not kept waiting.
    private func progressJob(_ choice: ResponseResolver.Choice, route: Route, scenario: Scenario) async -> (name: String, value: String)? {
        let dialect: String
        var tape: ProgressTape?
        var firstByte: Duration = .zero
        switch choice {
        case .replay(let cassette):
            dialect = cassette.dialect
            tape = cassette.progress
            firstByte = cassette.response.chunkTimes.first ?? .zero
        case .synthesis(_, let spec):
            dialect = spec.dialect
        }
        guard let spec = try? server.catalog.resolve(surface: route.surface, dialect: dialect).progress else { return nil }
        let fault = ProgressPlan.fault(of: scenario)
        let scope = ProgressScope(route)
        guard tape != nil || scenario.usesProgress || server.progress.hasListeners(for: spec, scope: scope) else { return nil }
        let start = ContinuousClock.now
        let hub = server.progress
        if let tape {
            Task { await hub.replay(tape, spec: spec, scope: scope, timeScale: scenario.timeScale, from: start) }
            try? await Task.sleep(until: start + firstByte * max(0, scenario.timeScale), clock: .continuous)
            return nil
        }
        let job = hub.newJob()
        let plan = ProgressPlan(steps: spec.steps, seconds: spec.generationSeconds, timeScale: scenario.timeScale, fault: fault)
        // What comes before the answer is sent from here, so it is on its way before the
        // answer however late a loaded machine wakes a task; what comes after goes on its own.
        await hub.run(plan.steps.prefix { $0.at <= plan.answerAt }, job: job, spec: spec, scope: scope, from: start)
        let after = Array(plan.steps.drop { $0.at <= plan.answerAt })
        if !after.isEmpty { Task { await hub.run(after, job: job, spec: spec, scope: scope, from: start) } }
        try? await Task.sleep(until: start + .seconds(plan.answerAt), clock: .continuous)
        return (spec.jobHeader, job)
    }

    /// A request to a progress socket's path that is no socket: Engine.IO's refusal.
    private func refuseSocket(_ refusal: ProgressEndpoint.Refusal, _ outbound: Outbound) async throws -> Bool {
        let body = Array(refusal.body.utf8)
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(body.count))])
        CrossOrigin.allow(&headers, for: head)
        try await outbound.write(contentsOf: [
            .head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: refusal.status), headers: headers)),
            .body(.byteBuffer(ByteBuffer(bytes: body))),
            .end(nil),
        ])
        return true
    }

    /// A plain event stream, delivered through the scenario like a cassette's.
    private func serveEventStream(named name: String, route: Route, _ outbound: Outbound, channel: any Channel, ticket: JournalTicket?) async throws -> Bool {
        guard head.method == .GET else {
            let error = OpenAIError(status: 405, message: "\(route.path) takes GET, not \(head.method)", type: "invalid_request_error", param: nil, code: "method_not_allowed")
            return try await answer(error, outbound, closing: false, ticket: ticket)
        }
        guard let stream = server.configuration.eventStreams[name] else {
            let known = server.configuration.eventStreams.keys.sorted().prefix(10).joined(separator: ", ")
            return try await answer(.notFound("no event stream named \(name); the server has \(known.isEmpty ? "none" : known)"), outbound, closing: false, ticket: ticket)
        }
        let scenario = route.scenario ?? server.configuration.defaultScenario
        let plan = DeliveryPlanner.plan(body: stream, isEventStream: true, surface: "sse", recordedChunks: nil, scenario: scenario)
        log(route: route, scenario: scenario, outcome: "\(plan.status) event stream \(name), \(plan.fragments.count) fragments")
        let writer = DeliveryWriter(plan: plan, pace: scenario.pace, sourceStatus: nil, sourceHeaders: [], sharedBody: nil)
        ticket?.answered(status: writer.status, retryAfter: writer.retryAfter, bodyBegan: writer.status < 300 && writer.bodyCount > 0)
        return try await writer.write(to: channel, answering: head)
    }

    /// Images a `response_format: url` answer points at (see ``ServedImages``), broken as the
    /// scenario in their URL says.
    private func serveImage(_ outbound: Outbound) async throws -> Bool {
        let prefixes: Route.Prefixes
        do {
            prefixes = try Route.Prefixes(head.uri)
        } catch {
            return try await answer(.notFound("no such image \(head.uri)"), outbound, closing: false)
        }
        guard let address = ServedImages.Address(prefixes.path.dropFirst(ServedImages.path.count)) else {
            return try await answer(.notFound("no such image \(head.uri)"), outbound, closing: false)
        }
        let fault = prefixes.scenario?.faults.lazy.compactMap { fault -> URLImageFault? in
            if case .urlImage(let broken) = fault { broken } else { nil }
        }.first
        if fault == .missing {
            return try await answer(.notFound("the image \(prefixes.path) is gone (url-image:missing)"), outbound, closing: false)
        }
        var bytes: [UInt8]
        do {
            bytes = try address.bytes(otherFormat: fault == .otherFormat)
        } catch {
            return try await answer(.invalidRequest("cannot make \(head.uri): \(error)"), outbound, closing: false)
        }
        if fault == .truncated { bytes.removeLast(bytes.count / 2) }
        var headers = HTTPHeaders([("Content-Type", "image/\(address.encoding.rawValue)"), ("Content-Length", String(bytes.count))])
        headers.add(name: "Cache-Control", value: "no-store")
        CrossOrigin.allow(&headers, for: head)
        try await outbound.write(contentsOf: [.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)), .body(.byteBuffer(ByteBuffer(bytes: bytes))), .end(nil)])
        return true
    }

    func answer(_ error: OpenAIError, _ outbound: Outbound, closing: Bool, ticket: JournalTicket? = nil) async throws -> Bool {
        ticket?.answered(status: error.status, retryAfter: error.code == "server_busy" ? 1 : nil, bodyBegan: false)
        let body = error.body
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(body.count))])
        if closing { headers.add(name: "Connection", value: "close") }
        if error.code == "server_busy" { headers.add(name: "Retry-After", value: "1") }
        CrossOrigin.allow(&headers, for: head)
        try await outbound.write(contentsOf: [
            .head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: error.status), headers: headers)),
            .body(.byteBuffer(ByteBuffer(bytes: body))),
            .end(nil),
        ])
        return !closing
    }

    /// Keeps the request in the server's journal, when it has one; the ticket takes its answer.
    private func journal(_ route: Route, fields: RequestFields?) -> JournalTicket? {
        guard let journal = server.configuration.journal else { return nil }
        let digests = fields?.form?.files.map(\.sha256) ?? []
        let files = (fields?.files ?? []).enumerated().map { index, part in
            RequestJournal.FileSummary(field: part.name, filename: part.filename, contentType: part.contentType, size: part.size,
                                       sha256: digests.indices.contains(index) ? digests[index] : "", leadingBytes: part.leadingBytes)
        }
        let headers = head.headers.map { (name: $0.name, value: Self.logRedactor.header(name: $0.name, value: $0.value)) }
        let entry = RequestJournal.Entry(
            method: head.method.rawValue, path: route.path, headers: headers, fields: fields?.json, isForm: fields?.isForm ?? false,
            files: files, arrived: .now)
        let key = RequestJournal.Key(scenario: route.scenario, cassette: route.cassetteName, path: route.path)
        return JournalTicket(journal: journal, key: key, index: journal.record(entry, under: key))
    }

    private static func describe(_ failure: RequestFields.Failure) -> OpenAIError {
        switch failure {
        case .invalidJSON(let reason): .invalidRequest("We could not parse the JSON body of your request: \(reason)", code: "invalid_json")
        case .notAnObject(let type): .invalidRequest("The request body must be a JSON object, not \(type)", code: "invalid_json")
        case .invalidMultipart(let reason): .invalidRequest("The multipart/form-data body could not be read: \(reason)", code: "invalid_multipart")
        case .unsupportedContentType(let type): .invalidRequest("Content-Type \(type) is not supported; send application/json or multipart/form-data", code: "unsupported_content_type")
        }
    }

    /// What a log line may print: a key in a query or a body stays out of terminals and CI logs.
    static let logRedactor = try! Redactor()

    /// One line per request: what was answered, and the command that reproduces exactly that delivery.
    private func log(route: Route, scenario: Scenario, outcome: String) {
        let scenarioText = scenario.description
        let id = Self.scenarioID(route: route.path, scenario: scenarioText, body: body)
        let cassette = route.cassetteName.map { "/c/\($0)" } ?? ""
        let url = "\(server.baseURL)\(cassette)/s/\(scenarioText)\(route.path)"
        let isMultipart = head.headers.first(name: "content-type")?.lowercased().hasPrefix("multipart/") == true
        // The whole body, quoted: a command cut short would send another request.
        let reproduce = isMultipart
            ? "curl -sN \(ShellText.quoted(url)) (the multipart body of \(body.readableBytes) bytes)"
            : "curl -sN \(ShellText.quoted(url)) -H 'Content-Type: application/json' --data-binary \(ShellText.quoted(Self.logRedactor.text(String(decoding: body.readableBytesView, as: UTF8.self))))"
        server.configuration.log("[\(id)] \(head.method) \(ShellText.printable(Self.logRedactor.url(head.uri))) → \(ShellText.printable(outcome)) — reproduce: \(reproduce)")
    }

    /// A short stable ID for (path, scenario, body), so a log line can be found again.
    static func scenarioID(route: String, scenario: String, body: ByteBuffer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in Array(route.utf8) + Array(scenario.utf8) + Array(body.readableBytesView) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 36)
    }
}

/// Where a request's answer is noted in the journal.
struct JournalTicket {
    let journal: RequestJournal
    let key: RequestJournal.Key
    let index: Int

    func answered(status: Int, retryAfter: Double?, bodyBegan: Bool) {
        journal.answered(index, under: key, with: .init(status: status, retryAfter: retryAfter, bodyBegan: bodyBegan, finished: .now))
    }
}
