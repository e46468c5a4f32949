import Foundation
import ImageStreamSpec
import Reports

/// What a client said it saw: the events it surfaced, the final images it presented, the
/// error it reported, and how it ended. Read from the files of docs/client-contract.md, or
/// made directly by the in-process reference client.
public struct Observation: Sendable {
    public struct Event: Hashable, Sendable {
        public var type: String
        public var partialImageIndex: Int?
        public var usage: JSONValue?
        /// For plain event streams: the data and the last event ID.
        public var data: String?
        public var id: String?
        /// Seconds since the request was sent, when the client said.
        public var time: Double?

        public init(type: String, partialImageIndex: Int? = nil, usage: JSONValue? = nil, data: String? = nil, id: String? = nil, time: Double? = nil) {
            self.type = type
            self.partialImageIndex = partialImageIndex
            self.usage = usage
            self.data = data
            self.id = id
            self.time = time
        }
    }

    public enum FinalImage: Hashable, Sendable {
        case bytes([UInt8])
        case url(String)
    }

    public struct ReportedError: Hashable, Sendable {
        public var message: String
        public var status: Int?

        public init(message: String, status: Int? = nil) {
            self.message = message
            self.status = status
        }
    }

    /// What a client showed of a job's progress (`progress.jsonl`).
    public enum Progress: Hashable, Sendable {
        case percent(Double)
        case complete
    }

    public var events: [Event] = []
    /// The job's progress as the client showed it, in order.
    public var progress: [Progress] = []
    /// In order of their index N in `final-N.*`.
    public var finals: [FinalImage] = []
    /// The previews presented, in order of their index N in `partial-N.*`.
    public var partials: [[UInt8]] = []
    public var error: ReportedError?
    public var exitCode: Int32 = 0
    public var timedOut = false
    /// What the client wrote on standard error (cut).
    public var log = ""
    /// Every read of the body as it arrived, when the client can tell (the reference client).
    public var arrivals: [ChunkMark] = []

    public init() {}

    /// Whether the client reported a failure in either of the ways the contract allows.
    public var reportedError: Bool { exitCode != 0 || error != nil }

    /// Reads `events.jsonl`, `final-N.*` and `error.json` from `directory`.
    public static func read(from directory: String) throws(ObservationError) -> Observation {
        var observation = Observation()
        let manager = FileManager.default
        let eventsPath = directory + "/events.jsonl"
        if let data = try contents(atPath: eventsPath, limit: eventsLimit) {
            for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let json = try? JSONValue.parse(String(line)), let type = json["type"]?.string else {
                    throw .malformed(eventsPath, line: number + 1, reason: "each line must be a JSON object with a string `type`")
                }
                guard type.utf8.count <= nameLimit, (json["id"]?.string?.utf8.count ?? 0) <= nameLimit else {
                    throw .malformed(eventsPath, line: number + 1, reason: "`type` and `id` are names of at most \(nameLimit) bytes; this one starts \(String(reflecting: String(type.prefix(60))))")
                }
                observation.events.append(Event(
                    type: type,
                    partialImageIndex: json["partial_image_index"]?.integer,
                    usage: json["usage"].flatMap { $0 == .null ? nil : $0 },
                    data: json["data"]?.string,
                    id: json["id"]?.string,
                    time: json["t"]?.number
                ))
            }
        }
        let progressPath = directory + "/progress.jsonl"
        if let data = try contents(atPath: progressPath, limit: nameLimit * 1024) {
            for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                let json = try? JSONValue.parse(String(line))
                switch json?["type"]?.string {
                case "progress"?:
                    guard let percent = json?["percent"]?.number else {
                        throw .malformed(progressPath, line: number + 1, reason: "a progress line carries a number `percent`: {\"type\": \"progress\", \"percent\": 40}")
                    }
                    observation.progress.append(.percent(percent))
                case "complete"?:
                    observation.progress.append(.complete)
                default:
                    throw .malformed(progressPath, line: number + 1, reason: "each line is {\"type\": \"progress\", \"percent\": N} or {\"type\": \"complete\"}")
                }
            }
        }
        let names = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        func numbered(_ prefix: String) -> [(Int, String)] {
            names.compactMap { name -> (Int, String)? in
                guard name.hasPrefix(prefix) else { return nil }
                let number = name.dropFirst(prefix.count).prefix { $0.isNumber }
                return Int(number).map { ($0, name) }
            }.sorted { $0.0 < $1.0 }
        }
        for (_, name) in numbered("partial-") {
            guard let data = try contents(atPath: directory + "/" + name, limit: imageLimit) else {
                throw .malformed(directory + "/" + name, line: nil, reason: "the file cannot be read")
            }
            observation.partials.append([UInt8](data))
        }
        for (_, name) in numbered("final-") {
            guard let data = try contents(atPath: directory + "/" + name, limit: imageLimit) else {
                throw .malformed(directory + "/" + name, line: nil, reason: "the file cannot be read")
            }
            observation.finals.append(name.hasSuffix(".url")
                ? .url(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
                : .bytes([UInt8](data)))
        }
        let errorPath = directory + "/error.json"
        if let data = try contents(atPath: errorPath, limit: nameLimit * 64) {
            guard let json = try? JSONValue.parse([UInt8](data)), json.object != nil else {
                throw .malformed(errorPath, line: nil, reason: "must be a JSON object such as {\"message\": \"…\", \"status\": 429}")
            }
            observation.error = ReportedError(message: json["message"]?.string ?? "(no message)", status: json["status"]?.integer)
        }
        return observation
    }
}

extension Observation {
    /// The most a client's files may hold (docs/client-contract.md): every event of the largest
    /// stream with its data, an image several times the largest a 4K stream carries, short names.
    /// A client that writes more fails the scenario; the runner never reads a gigabyte of it.
    static let eventsLimit = 512 << 20
    static let imageLimit = 128 << 20
    static let nameLimit = 1024

    /// A file's bytes, nil when it is absent; over `limit` bytes is a malformed observation.
    static func contents(atPath path: String, limit: Int) throws(ObservationError) -> Data? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else {
            throw .malformed(path, line: nil, reason: "the file holds \(size) bytes; the contract allows at most \(limit)")
        }
        return FileManager.default.contents(atPath: path)
    }
}

/// A client wrote observations that do not follow the contract.
public enum ObservationError: Error, CustomStringConvertible, Sendable {
    case malformed(String, line: Int?, reason: String)

    public var description: String {
        switch self {
        case .malformed(let path, let line, let reason):
            "\(path)\(line.map { ":\($0)" } ?? ""): \(reason) (see docs/client-contract.md)"
        }
    }
}
