import SSEWire

// Reading and writing `NAME.cassette.json`, format `tapedeck-cassette/1` (Cassettes/README.md).

extension Cassette {
    /// Loads a cassette and splices its blobs back into the body. The body is built in one
    /// allocation of its full size: text pieces are copied in once, and each blob is read from
    /// its file straight into place, then its length and SHA-256 are checked.
    public static func load(from path: String) throws(CassetteError) -> Cassette {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let root: JSON
        do {
            root = try JSON.parse(bytes)
        } catch {
            throw .invalidJSON(path: path, reason: error.description)
        }
        return try CassetteDecoding(file: path).cassette(from: root)
    }

    /// Saves the cassette to `path`, which must end in `.cassette.json`, creating its folder if
    /// needed. Every base64 run of 64 KiB or more in the body goes to `blobs/<sha256>.b64` in that
    /// folder first (a blob already there is reused once its hash is checked); then the cassette
    /// file is written to a temporary file beside it and renamed into place, so a reader never
    /// sees half a cassette.
    public func save(to path: String) throws(CassetteError) {
        try save(to: path, beforeRename: { _ in })
    }

    /// `save(to:)`, calling `beforeRename` with the temporary file once it is complete.
    func save(to path: String, beforeRename: (String) -> Void) throws(CassetteError) {
        let (folder, fileName) = FileSystem.split(path)
        guard fileName.hasSuffix(Cassette.fileExtension), fileName.count > Cassette.fileExtension.count else {
            throw .invalidPath(path: path, reason: "a cassette's file name ends in `\(Cassette.fileExtension)`, e.g. `\(name)\(Cassette.fileExtension)`")
        }
        // Encode first, so a cassette that cannot be saved leaves nothing behind.
        let body = response.recording.bytes
        let blobs = BodyLayout.base64Runs(in: body).map { run in
            BlobReference(at: run.lowerBound, length: run.count, sha256: Digest.sha256Hex(body[run]))
        }
        let root = try CassetteEncoding(file: path).json(for: self, blobs: blobs)
        do {
            try FileSystem.createDirectory(folder)
        } catch {
            throw .unwritable(path: folder, reason: error.description)
        }
        try Self.writeBlobs(blobs, of: body, folder: folder)
        let text = root.prettyText
        let written: Result<Void, FileSystemError> = text.withUnsafeBytes { raw in
            do throws(FileSystemError) {
                return .success(try FileSystem.writeAtomically([raw], to: path, beforeRename: beforeRename))
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let error) = written { throw .unwritable(path: path, reason: error.description) }
    }

    /// Every `*.cassette.json` in `folder` (not its subfolders), sorted by name; the first that
    /// does not load is the error.
    public static func loadAll(in folder: String) throws(CassetteError) -> [Cassette] {
        let found = try loadEach(in: folder)
        if let failure = found.failures.first { throw failure }
        return found.cassettes
    }

    /// Every `*.cassette.json` in `folder` that loads, sorted by name, and why each other one did
    /// not: for a server that serves what it can and warns about the rest.
    public static func loadEach(in folder: String) throws(CassetteError) -> (cassettes: [Cassette], failures: [CassetteError]) {
        let names: [String]
        do {
            names = try FileSystem.list(folder)
        } catch {
            throw .unreadable(path: folder, reason: error.description)
        }
        var loaded: [(cassette: Cassette, path: String)] = []
        var failures: [CassetteError] = []
        for name in names.sorted() where name.hasSuffix(Cassette.fileExtension) && !name.hasPrefix(".") {
            let path = FileSystem.join(folder, name)
            guard FileSystem.size(of: path) != nil else { continue }
            do {
                loaded.append((try load(from: path), path))
            } catch {
                failures.append(error)
            }
        }
        return (loaded.sorted { ($0.cassette.name, $0.path) < ($1.cassette.name, $1.path) }.map(\.cassette), failures)
    }

    /// The folder, beside a cassette in `folder`, that holds its blobs.
    static func blobFolder(in folder: String) -> String { FileSystem.join(folder, "blobs") }

    /// Writes each blob not already in `folder/blobs` with the right contents.
    private static func writeBlobs(_ blobs: [BlobReference], of body: [UInt8], folder: String) throws(CassetteError) {
        guard !blobs.isEmpty else { return }
        let blobFolder = blobFolder(in: folder)
        do {
            try FileSystem.createDirectory(blobFolder)
        } catch {
            throw .unwritable(path: blobFolder, reason: error.description)
        }
        var done: Set<String> = []
        for blob in blobs where done.insert(blob.sha256).inserted {
            let blobPath = FileSystem.join(blobFolder, blob.fileName)
            if FileSystem.size(of: blobPath) == blob.length, (try? Self.blobHash(at: blobPath, length: blob.length)) == .some(blob.sha256) {
                continue
            }
            let written: Result<Void, FileSystemError> = body.withUnsafeBytes { raw in
                do throws(FileSystemError) {
                    return .success(try FileSystem.writeAtomically([UnsafeRawBufferPointer(rebasing: raw[blob.range])], to: blobPath))
                } catch {
                    return .failure(error)
                }
            }
            if case .failure(let error) = written { throw .unwritable(path: blobPath, reason: error.description) }
        }
    }

    /// The SHA-256 of the file at `path` when it holds `length` bytes; nil when it holds another number.
    private static func blobHash(at path: String, length: Int) throws(FileSystemError) -> String? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 1)
        defer { buffer.deallocate() }
        guard try FileSystem.read(path, into: buffer) == length else { return nil }
        return Digest.sha256Hex(UnsafeRawBufferPointer(buffer))
    }
}

// MARK: - Encoding

private struct CassetteEncoding {
    let file: String

    func json(for cassette: Cassette, blobs: [BlobReference]) throws(CassetteError) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("format", .string(cassette.progress == nil ? Cassette.formatVersion : Cassette.progressFormatVersion)),
            ("name", .string(cassette.name)),
            ("surface", .string(cassette.surface)),
            ("dialect", .string(cassette.dialect)),
            ("provenance", try json(for: cassette.provenance)),
            ("request", json(for: cassette.request)),
            ("response", try json(for: cassette.response, blobs: blobs, isEventStream: cassette.isEventStream)),
        ]
        if let progress = cassette.progress { members.append(("progress", json(for: progress))) }
        return .object(members)
    }

    func json(for progress: ProgressTape) -> JSON {
        var members: [(key: String, value: JSON)] = [("transport", .string(progress.transport)), ("url", .string(progress.url))]
        if let namespace = progress.namespace { members.append(("namespace", .string(namespace))) }
        // Each frame: [microseconds, text].
        members.append(("frames", .array(progress.frames.map { .array([.integer($0.at.wholeMicroseconds), .string($0.text)]) })))
        return .object(members)
    }

    func json(for provenance: Provenance) throws(CassetteError) -> JSON {
        switch provenance {
        case .recorded(let host, let at, let tool):
            return .object([("kind", .string("recorded")), ("host", .string(host)), ("at", .string(at)), ("tool", .string(tool))])
        case .synthesized(let tool, let parameters):
            let value: JSON
            do {
                value = try JSON.parse(parameters)
            } catch {
                throw .inconsistent(path: file, reason: "the synthesis parameters are not JSON (\(error)); pass a JSON object's text")
            }
            guard value.members != nil else {
                throw .inconsistent(path: file, reason: "the synthesis parameters are \(value.typeName); pass a JSON object's text")
            }
            return .object([("kind", .string("synthesized")), ("tool", .string(tool)), ("parameters", value)])
        case .imported(let format, let file, let host, let at, let tool):
            var members: [(key: String, value: JSON)] = [("kind", .string("imported")), ("format", .string(format)), ("file", .string(file)), ("host", .string(host))]
            if let at { members.append(("at", .string(at))) }
            members.append(("tool", .string(tool)))
            return .object(members)
        }
    }

    func json(for headers: [Header]) -> JSON {
        .array(headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })
    }

    func json(for request: RecordedRequest) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("method", .string(request.method)),
            ("path", .string(request.path)),
            ("headers", json(for: request.headers)),
        ]
        switch request.body {
        case .none:
            break
        case .json(let text):
            // The value, for people; the text as sent too, unless the value's canonical text is it.
            if let value = try? JSON.parse(text) {
                var body: [(key: String, value: JSON)] = [("json", value)]
                if value.canonicalText != text { body.append(("sent", .string(text))) }
                members.append(("body", .object(body)))
            } else {
                members.append(("body", .object([("sent", .string(text))])))
            }
        case .form(let fields, let files):
            let form: JSON = .object([
                ("fields", .array(fields.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
                ("files", .array(files.map { file in
                    .object([
                        ("name", .string(file.name)),
                        ("filename", .string(file.filename)),
                        ("content_type", .string(file.contentType)),
                        ("size", .integer(file.size)),
                        ("sha256", .string(file.sha256)),
                    ])
                })),
            ])
            members.append(("body", .object([("form", form)])))
        }
        return .object(members)
    }

    func json(for response: RecordedResponse, blobs: [BlobReference], isEventStream: Bool) throws(CassetteError) -> JSON {
        let recording = response.recording
        guard response.chunkTimes.count == recording.chunkEnds.count else {
            throw .inconsistent(
                path: file,
                reason: "the response has \(recording.chunkEnds.count) chunks but \(response.chunkTimes.count) chunk times; give each chunk its arrival time"
            )
        }
        var chunks: [JSON] = []
        chunks.reserveCapacity(recording.chunkEnds.count)
        for chunk in response.arrivals {
            chunks.append(.array([.integer(chunk.length), .integer(chunk.at.wholeMicroseconds)]))
        }

        var rest: [UInt8] = []
        rest.reserveCapacity(recording.bytes.count - blobs.reduce(0) { $0 + $1.length })
        var position = 0
        for blob in blobs {
            rest.append(contentsOf: recording.bytes[position..<blob.at])
            position = blob.range.upperBound
        }
        rest.append(contentsOf: recording.bytes[position...])
        let body: JSON = if let text = String(validating: rest, as: UTF8.self) {
            .object([("text", .string(text))])
        } else {
            .object([("base64", .string(Base64.encode(rest)))])
        }

        var members: [(key: String, value: JSON)] = [
            ("status", .integer(response.status)),
            ("headers", json(for: response.headers)),
            ("ending", .string(response.ending.rawValue)),
            ("body", body),
            ("chunks", .array(chunks)),
        ]
        if !blobs.isEmpty {
            members.append(("blobs", .array(blobs.map { .object([("at", .integer($0.at)), ("length", .integer($0.length)), ("sha256", .string($0.sha256))]) })))
        }
        if isEventStream {
            // Derived, for people reading the file: rewritten on save, ignored on load.
            let events = response.eventSummaries().events.map { summary -> JSON in
                .object([
                    ("index", .integer(summary.index)),
                    ("type", .string(summary.type)),
                    ("bytes", .array([.integer(summary.byteRange.lowerBound), .integer(summary.byteRange.upperBound)])),
                ])
            }
            members.append(("events", .array(events)))
        }
        return .object(members)
    }
}

extension Duration {
    /// The duration in whole microseconds, rounded toward zero.
    var wholeMicroseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

// MARK: - Decoding

/// A value in the file and where it is, so an error can name the field.
private struct Field {
    let file: String
    let path: String
    let value: JSON

    func invalid(_ reason: String) -> CassetteError {
        .invalidField(path: file, field: path, reason: reason)
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func member(_ key: String) throws(CassetteError) -> Field {
        guard let value = value[key] else { throw .invalidField(path: file, field: child(key), reason: "is missing") }
        return Field(file: file, path: child(key), value: value)
    }

    func optionalMember(_ key: String) -> Field? {
        guard let value = value[key], !value.isNull else { return nil }
        return Field(file: file, path: child(key), value: value)
    }

    func string() throws(CassetteError) -> String {
        guard let text = value.string else { throw invalid("must be a string, not \(value.typeName)") }
        return text
    }

    func integer() throws(CassetteError) -> Int {
        guard let number = value.integer else {
            throw invalid(value.typeName == "a number" ? "must be a whole number" : "must be a number, not \(value.typeName)")
        }
        return number
    }

    func object() throws(CassetteError) -> Field {
        guard value.members != nil else { throw invalid("must be an object, not \(value.typeName)") }
        return self
    }

    func items() throws(CassetteError) -> [Field] {
        guard let items = value.array else { throw invalid("must be an array, not \(value.typeName)") }
        return items.enumerated().map { Field(file: file, path: "\(path)[\($0.offset)]", value: $0.element) }
    }

    func string(_ key: String) throws(CassetteError) -> String { try member(key).string() }
    func integer(_ key: String) throws(CassetteError) -> Int { try member(key).integer() }
}

private struct CassetteDecoding {
    let file: String

    var folder: String { FileSystem.split(file).folder }

    func cassette(from value: JSON) throws(CassetteError) -> Cassette {
        guard value.members != nil, let format = value["format"] else {
            throw .unsupportedFormat(path: file, found: nil)
        }
        guard let version = format.string, [Cassette.formatVersion, Cassette.progressFormatVersion].contains(version) else {
            throw .unsupportedFormat(path: file, found: format.string ?? format.canonicalText)
        }
        let root = Field(file: file, path: "", value: value)
        let progressField = root.optionalMember("progress")
        if progressField != nil, version == Cassette.formatVersion {
            throw root.invalid("has a progress section, which needs format \(Cassette.progressFormatVersion)")
        }
        return Cassette(
            name: try root.string("name"),
            surface: try root.string("surface"),
            dialect: try root.string("dialect"),
            provenance: try provenance(try root.member("provenance").object()),
            request: try request(try root.member("request").object()),
            response: try response(try root.member("response").object()),
            progress: try progressField.map { field throws(CassetteError) in try progress(try field.object()) }
        )
    }

    func progress(_ field: Field) throws(CassetteError) -> ProgressTape {
        let transport = try field.string("transport")
        guard ["socket.io", "websocket"].contains(transport) else {
            throw try field.member("transport").invalid("must be `socket.io` or `websocket`, not `\(transport)`")
        }
        var frames: [ProgressTape.Frame] = []
        var previous = 0
        for frame in try field.member("frames").items() {
            let pair = try frame.items()
            guard pair.count == 2 else { throw frame.invalid("must be [microseconds, text], not \(pair.count) values") }
            let time = try pair[0].integer()
            guard time >= previous else { throw pair[0].invalid("says the frame arrived at \(time) µs, before the frame ahead of it (\(previous) µs)") }
            previous = time
            frames.append(ProgressTape.Frame(at: .microseconds(time), text: try pair[1].string()))
        }
        return ProgressTape(transport: transport, url: try field.string("url"), namespace: try field.optionalMember("namespace")?.string(), frames: frames)
    }

    func provenance(_ field: Field) throws(CassetteError) -> Provenance {
        let kind = try field.member("kind")
        switch try kind.string() {
        case "recorded":
            return .recorded(host: try field.string("host"), at: try field.string("at"), tool: try field.string("tool"))
        case "synthesized":
            let parameters = try field.member("parameters").object()
            return .synthesized(tool: try field.string("tool"), parameters: parameters.value.canonicalText)
        case "imported":
            return .imported(format: try field.string("format"), file: try field.string("file"), host: try field.string("host"),
                             at: try field.optionalMember("at")?.string(), tool: try field.string("tool"))
        case let other:
            throw kind.invalid("must be `recorded`, `synthesized` or `imported`, not `\(other)`")
        }
    }

    func headers(_ field: Field?) throws(CassetteError) -> [Header] {
        guard let field else { return [] }
        var headers: [Header] = []
        for item in try field.items() {
            headers.append(Header(name: try item.object().string("name"), value: try item.string("value")))
        }
        return headers
    }

    func request(_ field: Field) throws(CassetteError) -> RecordedRequest {
        RecordedRequest(
            method: try field.string("method"),
            path: try field.string("path"),
            headers: try headers(field.optionalMember("headers")),
            body: try requestBody(field.optionalMember("body"))
        )
    }

    func requestBody(_ field: Field?) throws(CassetteError) -> RequestBody {
        guard let field = try field?.object() else { return .none }
        if let form = try field.optionalMember("form")?.object() {
            var fields: [(name: String, value: String)] = []
            for item in try form.optionalMember("fields")?.items() ?? [] {
                fields.append((try item.object().string("name"), try item.string("value")))
            }
            var files: [FilePart] = []
            for item in try form.optionalMember("files")?.items() ?? [] {
                let size = try item.object().member("size")
                guard try size.integer() >= 0 else { throw size.invalid("must not be negative") }
                files.append(FilePart(
                    name: try item.string("name"),
                    filename: try item.string("filename"),
                    contentType: try item.string("content_type"),
                    size: try size.integer(),
                    sha256: try item.string("sha256")
                ))
            }
            return .form(fields: fields, files: files)
        }
        if let sent = field.optionalMember("sent") {
            return .json(try sent.string())
        }
        if let value = field.value["json"] {
            return .json(value.canonicalText)
        }
        throw field.invalid("must hold `json` (and `sent` when the text as sent differs from it) or `form`")
    }

    func response(_ field: Field) throws(CassetteError) -> RecordedResponse {
        let status = try field.integer("status")
        let headers = try headers(field.optionalMember("headers"))
        let endingField = try field.member("ending")
        let endingName = try endingField.string()
        guard let ending = RecordingEnding(rawValue: endingName) else {
            throw endingField.invalid("must be one of \(RecordingEnding.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")), not `\(endingName)`")
        }

        // The chunks: [length, microseconds] each.
        var lengths: [Int] = []
        var times: [Duration] = []
        let chunkFields = try field.member("chunks").items()
        lengths.reserveCapacity(chunkFields.count)
        times.reserveCapacity(chunkFields.count)
        var previousTime = 0
        var chunkTotal = 0
        for chunk in chunkFields {
            let pair = try chunk.items()
            guard pair.count == 2 else { throw chunk.invalid("must be [length, microseconds], not \(pair.count) numbers") }
            let length = try pair[0].integer()
            let time = try pair[1].integer()
            guard length > 0 else { throw pair[0].invalid("is a chunk length, which must be at least 1") }
            guard time >= previousTime else {
                throw pair[1].invalid("says the chunk arrived at \(time) µs, before the chunk ahead of it (\(previousTime) µs); arrival times never go backwards")
            }
            previousTime = time
            let (total, overflow) = chunkTotal.addingReportingOverflow(length)
            guard !overflow else { throw pair[0].invalid("is \(length), which makes the chunks longer than any body can be") }
            chunkTotal = total
            lengths.append(length)
            times.append(.microseconds(time))
        }

        let body = try self.body(field.member("body").object(), blobs: try blobs(field.optionalMember("blobs")))
        guard chunkTotal == body.count else {
            throw .chunksDoNotAddUp(path: file, chunkTotal: chunkTotal, bodyLength: body.count)
        }
        var ends: [Int] = []
        ends.reserveCapacity(lengths.count)
        var end = 0
        for length in lengths {
            end += length
            ends.append(end)
        }
        let recording: SSERecording
        do {
            recording = try SSERecording(bytes: body, chunkEnds: ends)
        } catch {
            throw .inconsistent(path: file, reason: "the chunks do not cut the body: \(error)")
        }
        return RecordedResponse(status: status, headers: headers, recording: recording, chunkTimes: times, ending: ending)
    }

    func blobs(_ field: Field?) throws(CassetteError) -> [(BlobReference, Field)] {
        guard let field else { return [] }
        var blobs: [(BlobReference, Field)] = []
        for item in try field.items() {
            let at = try item.object().integer("at")
            let lengthField = try item.member("length")
            let length = try lengthField.integer()
            let hashField = try item.member("sha256")
            let sha256 = try hashField.string()
            guard BodyLayout.isSHA256Hex(sha256) else { throw hashField.invalid("must be 64 lowercase hex digits") }
            guard length > 0 else { throw lengthField.invalid("must be at least 1") }
            guard !at.addingReportingOverflow(length).overflow else { throw lengthField.invalid("is \(length), which ends the blob past any body's length") }
            if let previous = blobs.last?.0 {
                guard at >= previous.range.upperBound else {
                    throw try item.member("at").invalid("is \(at), inside or before the blob ahead of it (which ends at \(previous.range.upperBound)); blobs are listed in body order without overlapping")
                }
            } else if at < 0 {
                throw try item.member("at").invalid("must not be negative")
            }
            blobs.append((BlobReference(at: at, length: length, sha256: sha256), item))
        }
        return blobs
    }

    /// The body, with the blobs spliced back in.
    func body(_ field: Field, blobs: [(BlobReference, Field)]) throws(CassetteError) -> [UInt8] {
        if let text = field.optionalMember("text") {
            var text = try text.string()
            let result: Result<[UInt8], CassetteError> = text.withUTF8 { rest in
                do throws(CassetteError) { return .success(try splice(rest: rest, blobs: blobs)) } catch { return .failure(error) }
            }
            return try result.get()
        }
        if let encoded = field.optionalMember("base64") {
            guard let rest = Base64.decode(try encoded.string()) else { throw encoded.invalid("is not valid base64") }
            let result: Result<[UInt8], CassetteError> = rest.withUnsafeBufferPointer { rest in
                do throws(CassetteError) { return .success(try splice(rest: rest, blobs: blobs)) } catch { return .failure(error) }
            }
            return try result.get()
        }
        throw field.invalid("must hold `text` (the body as UTF-8 text) or `base64` (when it is not UTF-8)")
    }

    /// Builds the body in one allocation of its full size: the text between blobs is copied in
    /// once, and each blob is read from its file straight into its place, then checked.
    func splice(rest: UnsafeBufferPointer<UInt8>, blobs: [(BlobReference, Field)]) throws(CassetteError) -> [UInt8] {
        let blobFolder = Cassette.blobFolder(in: folder)
        var total = rest.count
        var position = 0
        var restUsed = 0
        for (blob, item) in blobs {
            // The body is allocated at its full size before any blob is read: a length the blob
            // file does not have is refused first, so a wrong number never asks for a terabyte.
            let blobPath = FileSystem.join(blobFolder, blob.fileName)
            guard let size = FileSystem.size(of: blobPath) else { throw .missingBlob(path: file, blob: blobPath, sha256: blob.sha256) }
            guard size == blob.length else { throw .blobLengthMismatch(path: file, blob: blobPath, expected: blob.length, actual: size) }
            let gap = blob.at - position
            guard gap <= rest.count - restUsed else {
                throw try item.member("at").invalid("is \(blob.at), past the end of the body (\(position + rest.count - restUsed) bytes before this blob)")
            }
            restUsed += gap
            position = blob.range.upperBound
            total += blob.length
        }

        var failure: CassetteError?
        let body = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            initialized = 0
            let output = UnsafeMutableRawBufferPointer(buffer)
            var position = 0
            var restOffset = 0
            func copyRest(_ count: Int) {
                guard count > 0 else { return }
                output.baseAddress!.advanced(by: position).copyMemory(from: rest.baseAddress! + restOffset, byteCount: count)
                position += count
                restOffset += count
            }
            for (blob, _) in blobs {
                copyRest(blob.at - position)
                let blobPath = FileSystem.join(blobFolder, blob.fileName)
                let slot = UnsafeMutableRawBufferPointer(rebasing: output[position..<(position + blob.length)])
                do throws(FileSystemError) {
                    let size = try FileSystem.read(blobPath, into: slot)
                    guard size == blob.length else {
                        failure = .blobLengthMismatch(path: file, blob: blobPath, expected: blob.length, actual: size)
                        return
                    }
                } catch {
                    failure = error.isNotFound
                        ? .missingBlob(path: file, blob: blobPath, sha256: blob.sha256)
                        : .unreadable(path: blobPath, reason: error.description)
                    return
                }
                let actual = Digest.sha256Hex(UnsafeRawBufferPointer(slot))
                guard actual == blob.sha256 else {
                    failure = .blobHashMismatch(path: file, blob: blobPath, expected: blob.sha256, actual: actual)
                    return
                }
                position += blob.length
            }
            copyRest(rest.count - restOffset)
            initialized = total
        }
        if let failure { throw failure }
        return body
    }
}
