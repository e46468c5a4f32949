import Cassette
import Foundation
import SSEWire

/// No response could be recorded: which URL, what kind of failure, and libcurl's reason.
public struct RecordingFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case dns, connect, tls, timeout, interrupted, other

        init(_ kind: CurlTransfer.Failure.Kind) {
            switch kind {
            case .dns: self = .dns
            case .connect: self = .connect
            case .tls: self = .tls
            case .timeout: self = .timeout
            case .interrupted: self = .interrupted
            case .other: self = .other
            }
        }
    }

    /// The URL, its secrets redacted.
    public let url: String
    public let reason: String
    public let kind: Kind
    /// How long after sending the request the failure came.
    public let elapsed: Duration

    public init(url: String, reason: String, kind: Kind, elapsed: Duration = .zero) {
        self.url = url
        self.reason = reason
        self.kind = kind
        self.elapsed = elapsed
    }

    /// One line: what failed and what to try.
    public var description: String {
        "no response from \(url): \(reason)" + (hint.map { " (\($0))" } ?? "")
    }

    var hint: String? {
        switch kind {
        case .tls: "give the server's CA certificate with --cacert FILE, or skip verification with --insecure"
        case .dns: "check the host name"
        case .connect: "check that the server is running and the port is right"
        case .timeout: "the server did not answer in time; raise --connect-timeout if it is slow"
        case .interrupted, .other: nil
        }
    }

    /// The error a client is answered with instead of a response: 502, OpenAI-shaped, naming
    /// the upstream and the cause. A failure cassette replays exactly this.
    public var errorBody: [UInt8] {
        let error: [String: Any] = [
            "message": "Tapedeck could not reach the upstream \(url): \(reason)",
            "type": "upstream_error",
            "param": NSNull(),
            "code": "upstream_\(kind.rawValue)_failed",
        ]
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return [UInt8](data)
    }

    public static let status = 502
}

extension Recorder {
    /// A cassette of a request that got no response: status 502 with `failure.errorBody`, one
    /// chunk at the moment of the failure, ending `failed`. Replayed, it answers a client as
    /// `tapedeck proxy` answered when the failure happened.
    public func failureCassette(_ request: Request, failure: RecordingFailure) -> Cassette {
        let body = failure.errorBody
        return Cassette(
            name: request.name, surface: request.surface, dialect: request.dialect,
            provenance: .recorded(host: Self.host(of: request.url), at: Self.now(), tool: tool),
            request: recordedRequest(request),
            response: RecordedResponse(
                status: RecordingFailure.status,
                headers: [Header("Content-Type", "application/json")],
                recording: SSERecording(bytes: body),
                chunkTimes: body.isEmpty ? [] : [failure.elapsed],
                ending: .failed
            )
        )
    }
}
