import Delivery
import Foundation
import ImageStreamSpec
import MockServer

/// Starts a MockServer on a free loopback port for one test, and stops it after.
public enum ServerHarness {
    public static let specsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs").path
    public static let cassettesDirectory = URL(fileURLWithPath: specsDirectory)
        .deletingLastPathComponent().appendingPathComponent("Cassettes").path

    public static func withServer<T>(_ configure: (inout MockServer.Configuration) -> Void = { _ in }, _ body: (MockServer) async throws -> T) async throws -> T {
        var configuration = MockServer.Configuration()
        configuration.synthesize = true
        configure(&configuration)
        let server = try await MockServer(configuration: configuration, catalog: try SpecCatalog.load(from: specsDirectory))
        let running = Task { try await server.run() }
        defer { running.cancel() }
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// Runs a blocking client off the cooperative pool.
    public static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
