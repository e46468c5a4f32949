@testable import Conformance
import Foundation
import NIOConcurrencyHelpers
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A client that keeps its connection open after its answer, as a reused SDK client, a
/// connection pool or a browser does: the runner must end anyway, and write its reports.
struct KeepAliveClient: BlockingClientDriver {
    /// The sockets left open, closed by the test when it is done.
    let sockets = NIOLockedValueBox<[Int32]>([])

    func observe(_ job: ClientJob) -> Observation {
        var observation = Observation()
        let url = job.baseURL + job.request.path
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let port = UInt16(authority.split(separator: ":").last ?? "") ?? 0
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let body = Array((job.request.bodyJSON ?? "{}").utf8)
        let head = "POST \(rest.drop { $0 != "/" }) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        // Read until the chunked body's last chunk; then leave the connection open, idle.
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !received.suffix(5).elementsEqual(Array("0\r\n\r\n".utf8)) {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        sockets.withLockedValue { $0.append(socket) }
        observation.error = .init(message: "this client reports nothing but keeps its connection (\(received.count) bytes read)")
        observation.exitCode = 1
        return observation
    }
}

@Suite(.serialized)
struct KeepAliveClientTests {
    // Without the bound the run never ends; the limit turns that hang into a failure. The
    // elapsed bound is loose on purpose: a loaded machine is slow, not hung.
    @Test("A client that keeps idle connections open does not stop the run from ending, within its bound", .timeLimit(.minutes(2)))
    func runEnds() async throws {
        var selection = SuiteSelection()
        selection.filter = "^images-generate-png-partial-2@(default|fault=drop-final)$"
        selection.fullSizeChunkings = []
        selection.includeWire = false
        let suite = try SuiteBuilder.build(cassettes: try Fixtures.allCassettes(), wireCases: [], selection: selection)
        var configuration = ConformanceRunner.Configuration()
        configuration.workDirectory = Fixtures.temporaryFolder()
        configuration.timeout = 10
        let client = KeepAliveClient()
        let started = ContinuousClock.now
        let results = try await ConformanceRunner(configuration: configuration, catalog: try Fixtures.catalog()).run(suite, driver: client)
        let elapsed = started.duration(to: .now)
        for socket in client.sockets.withLockedValue({ $0 }) { close(socket) }
        #expect(results.count == 2)
        #expect(client.sockets.withLockedValue { $0.count } == 2, "both connections were kept open")
        #expect(elapsed < .seconds(60), "the run took \(elapsed)")
    }
}
