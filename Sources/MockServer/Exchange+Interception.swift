import Delivery
import NIOCore
import NIOHTTP1

extension Exchange {
    /// Hands the request to the interceptor and carries out its answer: a replay through the
    /// request's scenario, an error, or a response the interceptor streams itself.
    func respond(through interceptor: any RequestInterceptor, using outbound: Outbound, channel: any Channel) async throws -> Bool {
        let prefixes: Route.Prefixes
        do {
            prefixes = try Route.Prefixes(head.uri)
        } catch .badScenario(let text, let reason) {
            return try await answer(OpenAIError.invalidRequest("the scenario `\(text)` in the URL is not valid: \(reason)", code: "invalid_scenario"), outbound, closing: false)
        } catch {
            return try await answer(OpenAIError.notFound("\(head.uri) is not a path: a /s/ or /c/ prefix must be followed by /"), outbound, closing: false)
        }
        if bodyTooLarge {
            let error = OpenAIError(status: 413, message: "the request body is larger than the server's limit of \(server.configuration.maxRequestBytes) bytes (--max-request-bytes)", type: "invalid_request_error", param: nil, code: "request_too_large")
            return try await answer(error, outbound, closing: true)
        }
        let contentType = head.headers.first(name: "content-type")
        let form = contentType?.lowercased().hasPrefix("multipart/form-data") == true ? (try? RequestFields.parse(body, contentType: contentType))?.form : nil
        let request = InterceptedRequest(
            method: head.method.rawValue,
            path: prefixes.path + (prefixes.query.map { "?" + $0 } ?? ""),
            surface: Route.surfaces[prefixes.path],
            cassetteName: prefixes.cassetteName,
            headers: head.headers.map { ($0.name, $0.value) },
            body: Array(body.readableBytesView),
            form: form
        )
        switch await interceptor.answer(request) {
        case .refuse(let error):
            return try await answer(error, outbound, closing: false)
        case .replay(let cassette):
            let scenario = prefixes.scenario ?? server.configuration.defaultScenario
            let source = ResponseResolver.replay(cassette, sharedBody: nil)
            let plan = ServerDelivery.plan(body: source.body, isEventStream: source.isEventStream, surface: cassette.surface, dialect: cassette.dialect, recordedChunks: source.recordedChunks, scenario: scenario, catalog: server.catalog, imageBase: server.baseURL)
            return try await DeliveryWriter(plan: plan, pace: scenario.pace, sourceStatus: source.status, sourceHeaders: source.headers, sharedBody: nil)
                .write(to: channel, answering: head)
        case .stream(let produce):
            let stream = ResponseStream(channel: channel, answering: head)
            await produce(stream)
            if stream.endedCleanly { return true }
            try? await channel.close()
            return false
        }
    }
}
