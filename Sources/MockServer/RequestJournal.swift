import Delivery
import ImageStreamSpec
import NIOConcurrencyHelpers

/// What clients sent, and what each was answered, kept by the scenario and cassette their URL
/// named, so the runner can judge a client's requests, retries and patience as well as what it
/// made of the responses (docs/client-contract.md, The requests).
public final class RequestJournal: Sendable {
    /// Which scenario a request belongs to: the `/s/<scenario>` and `/c/<cassette>` of its URL,
    /// and the route's path (two WHATWG cases of one scenario differ only there).
    public struct Key: Hashable, Sendable {
        public let scenario: Scenario?
        public let cassette: String?
        public let path: String

        public init(scenario: Scenario?, cassette: String?, path: String) {
            self.scenario = scenario
            self.cassette = cassette
            self.path = path
        }
    }

    /// A file part of a multipart request, without its bytes.
    public struct FileSummary: Sendable {
        public let field: String
        public let filename: String
        public let contentType: String
        public let size: Int
        /// The SHA-256 of the part's bytes, lowercase hex.
        public let sha256: String
        /// The first bytes, enough to tell PNG, JPEG and WebP apart.
        public let leadingBytes: [UInt8]
    }

    /// What one response was.
    public struct Answer: Sendable {
        public let status: Int
        /// The `Retry-After` it carried, in seconds.
        public let retryAfter: Double?
        /// Whether response body bytes of a successful answer were on their way: a generation
        /// the client is billed for.
        public let bodyBegan: Bool
        /// When the answer began to be written.
        public let finished: ContinuousClock.Instant
    }

    public struct Entry: Sendable {
        public let method: String
        /// The route's path, such as `/v1/images/edits`, without Tapedeck's prefixes.
        public let path: String
        /// Header names and values, credentials redacted.
        public let headers: [(name: String, value: String)]
        /// The JSON body, or a form's text fields as strings; nil when the body could not be read.
        public let fields: JSONValue?
        public let isForm: Bool
        public let files: [FileSummary]
        public let arrived: ContinuousClock.Instant
        public internal(set) var answer: Answer?

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private struct State {
        var entries: [Key: [Entry]] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Keeps a request; returns where its answer goes.
    func record(_ entry: Entry, under key: Key) -> Int {
        state.withLockedValue { state in
            state.entries[key, default: []].append(entry)
            return state.entries[key]!.count - 1
        }
    }

    func answered(_ index: Int, under key: Key, with answer: Answer) {
        state.withLockedValue { state in
            guard state.entries[key]?.indices.contains(index) == true else { return }
            state.entries[key]![index].answer = answer
        }
    }

    /// The requests kept under `key`, in arrival order, forgotten by the journal.
    public func take(_ key: Key) -> [Entry] {
        state.withLockedValue { $0.entries.removeValue(forKey: key) ?? [] }
    }
}
