import Cassette
import Foundation
import SSEWire

/// Turns another tool's recordings into cassettes: the exchanges with a surface's endpoint in a vcrpy
/// cassette or a HAR file, each with its request, status, headers and body as that tool kept
/// them, secrets redacted, marked `imported` (the body is one chunk: those tools do not keep
/// where chunks arrived). Everything else in the file is skipped, and said so.
public struct CassetteImporter: Sendable {
    public var redactor: Redactor
    /// Name and version, written into each cassette's provenance.
    public var tool: String
    public var dialect: String
    /// The surface a request's method and path reach, nil for none (`SpecCatalog.surface(method:path:)`).
    public var surfaceOf: @Sendable (_ method: String, _ path: String) -> String?

    public init(redactor: Redactor, tool: String, dialect: String, surfaceOf: @escaping @Sendable (_ method: String, _ path: String) -> String?) {
        self.redactor = redactor
        self.tool = tool
        self.dialect = dialect
        self.surfaceOf = surfaceOf
    }

    public struct Outcome: Sendable {
        public var cassettes: [Cassette]
        /// Each exchange left out, with where it was and why.
        public var skipped: [String]
        public var format: ForeignFormat
    }

    /// Reads `path` (its format detected unless given) and makes one cassette per image
    /// exchange, named `name` (one) or `name-1`, `name-2`, … (several). Fails when there is none.
    public func importFile(_ path: String, format given: ForeignFormat? = nil, name: String) throws(ImportError) -> Outcome {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let format = given ?? ForeignFormat.detect(text) else { throw .unknownFormat(file: path) }
        let exchanges: [ForeignExchange] = switch format {
        case .vcrpy: try VCRReader.exchanges(in: text, file: path)
        case .har: try HARReader.exchanges(in: data, file: path)
        }
        var kept: [(ForeignExchange, String)] = []
        var skipped: [String] = []
        for exchange in exchanges {
            guard let surface = surfaceOf(exchange.method, RequestURL.pathAndQuery(of: exchange.url)) else {
                skipped.append("\(exchange.place): \(exchange.method) \(redactor.url(exchange.url)) is not an image-streaming request")
                continue
            }
            kept.append((exchange, surface))
        }
        guard !kept.isEmpty else { throw .nothingToImport(file: path, skipped: skipped) }
        let cassettes = kept.enumerated().map { position, item in
            cassette(item.0, surface: item.1, name: kept.count == 1 ? name : "\(name)-\(position + 1)", file: path, format: format)
        }
        return Outcome(cassettes: cassettes, skipped: skipped, format: format)
    }

    func cassette(_ exchange: ForeignExchange, surface: String, name: String, file: String, format: ForeignFormat) -> Cassette {
        let contentType = exchange.requestHeaders.first(named: "Content-Type") ?? ""
        let body: RequestBody
        if let form = exchange.parsedForm ?? FormParts.parse(exchange.requestBody, contentType: contentType) {
            body = .form(fields: form.fields.map { ($0.name, redactor.field(name: $0.name, value: $0.value)) }, files: form.files)
        } else if exchange.requestBody.isEmpty {
            body = .none
        } else {
            body = .json(redactor.text(String(decoding: exchange.requestBody, as: UTF8.self)))
        }
        let arrived = exchange.bodyArrived ?? .zero
        let bytes = exchange.responseBody
        let redacted = redactor.body(bytes, chunkEnds: bytes.isEmpty ? [] : [bytes.count], chunkTimes: bytes.isEmpty ? [] : [arrived])
        return Cassette(
            name: name, surface: surface, dialect: dialect,
            provenance: .imported(format: format.rawValue, file: URL(fileURLWithPath: file).lastPathComponent, host: RequestURL.host(of: exchange.url),
                                  at: exchange.startedAt, tool: tool),
            request: RecordedRequest(
                method: exchange.method.uppercased(), path: redactor.url(RequestURL.pathAndQuery(of: exchange.url)),
                headers: exchange.requestHeaders.map { Header($0.name, redactor.header(name: $0.name, value: $0.value)) },
                body: body),
            response: RecordedResponse(
                status: exchange.status,
                headers: exchange.responseHeaders.map { Header($0.name, redactor.header(name: $0.name, value: $0.value)) },
                recording: (try? SSERecording(bytes: redacted.bytes, chunkEnds: redacted.chunkEnds)) ?? SSERecording(bytes: redacted.bytes),
                chunkTimes: redacted.chunkTimes, ending: .complete))
    }
}
