import ImageFormats
import ImageStreamSpec
import MockServer
import Reports

/// Judges what a client sent and when, from the requests the server kept for its scenario:
/// the request itself (CLIENT-013 to 017), and what came after the first answer (CLIENT-018,
/// CLIENT-019).
enum RequestJudge {
    /// The content types an image part may have, by the format its bytes are.
    static let imageContentTypes: [ImageFormat: String] = [.png: "image/png", .jpeg: "image/jpeg", .webp: "image/webp"]

    /// How much sooner than `Retry-After` a retry may come: the clocks are the same, but the
    /// answer's time is taken after its last write.
    static let retryTolerance = 0.05

    static func violations(_ requests: [RequestJournal.Entry], asked: ClientRequest, spec: ResolvedSpec?) -> [Violation] {
        var found: [Violation] = []
        func add(_ rule: ClientRule, expected: String, observed: String) {
            found.append(Violation(ruleID: rule.id, level: rule.level.rawValue, statement: rule.statement, source: rule.source,
                                   expected: Judge.bounded(expected), observed: Judge.bounded(observed)))
        }
        guard let first = requests.first else {
            add(.sendsRequest, expected: "\(asked.method) \(asked.path)", observed: "no request reached the server")
            return found
        }
        if asked.surface != "sse" {
            judge(first, asked: asked, spec: spec, add: add)
        }
        judgeRepeats(requests, add: add)
        return found
    }

    private static func judge(_ request: RequestJournal.Entry, asked: ClientRequest, spec: ResolvedSpec?, add: (ClientRule, String, String) -> Void) {
        if request.header("authorization")?.isEmpty ?? true {
            add(.sendsAuthorization, "Authorization: Bearer …", "no Authorization header")
        }
        guard let fields = request.fields else {
            add(.requestFollowsSurface, "a JSON object, or a multipart form", "a body the server could not read (\(request.header("content-type") ?? "no Content-Type"))")
            return
        }
        if let spec {
            for finding in Validator(spec: spec).validateRequest(fields, isForm: request.isForm) where finding.level == .must {
                add(.requestFollowsSurface, finding.expected.map { "\(finding.ruleID): \($0)" } ?? finding.statement, finding.message)
            }
        }
        if let askedBody = asked.bodyJSON.flatMap({ try? JSONValue.parse($0) })?.object {
            for (name, value) in askedBody.sorted(by: { $0.key < $1.key }) {
                let sent = fields[name]
                guard !sameValue(sent, value, sentAsForm: request.isForm) else { continue }
                add(.sendsAskedParameters, "\(name): \(value.description)", sent.map { "\(name): \($0.description)" } ?? "no \(name)")
            }
        }
        if request.isForm {
            judgeUploads(request.files, add: add)
        }
    }

    /// A form carries every value as text: `2` is sent as `"2"`, `true` as `"true"`.
    private static func sameValue(_ sent: JSONValue?, _ asked: JSONValue, sentAsForm: Bool) -> Bool {
        guard let sent else { return false }
        if sent == asked { return true }
        guard sentAsForm, let text = sent.string else { return false }
        switch asked {
        case .string(let value): return text == value
        case .integer(let value): return Int(text) == value
        case .number(let value): return Double(text) == value
        case .bool(let value): return text == String(value)
        default: return text == asked.description
        }
    }

    private static func judgeUploads(_ files: [RequestJournal.FileSummary], add: (ClientRule, String, String) -> Void) {
        let images = files.filter { $0.field == "image[]" || $0.field == "image" }
        if images.isEmpty {
            let names = files.map(\.field)
            add(.sendsWellFormedUploads, "at least one file part named image[] or image", names.isEmpty ? "no file part" : "file parts named \(names.joined(separator: ", "))")
        }
        let masks = files.filter { $0.field == "mask" }
        if masks.count > 1 {
            add(.sendsWellFormedUploads, "at most one mask part", "\(masks.count) mask parts")
        }
        for part in images + masks {
            if part.filename.isEmpty {
                add(.sendsWellFormedUploads, "a filename on the \(part.field) part", "filename=\"\" on the \(part.field) part")
            }
            let format = ImageFormat.detect(part.leadingBytes)
            let fitting = format.flatMap { imageContentTypes[$0] }
            let declared = part.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if let fitting, declared != fitting {
                add(.sendsWellFormedUploads, "Content-Type: \(fitting) on the \(part.field) part (its bytes are \(format!.rawValue.uppercased()))", "Content-Type: \(part.contentType)")
            } else if fitting == nil, !imageContentTypes.values.contains(declared) {
                add(.sendsWellFormedUploads, "a PNG, JPEG or WebP image with its content type on the \(part.field) part", "Content-Type: \(part.contentType), \(part.size) bytes that are no image Tapedeck knows")
            }
        }
    }

    /// What came after the first answer: a generation sent again once billed, a retry too soon.
    private static func judgeRepeats(_ requests: [RequestJournal.Entry], add: (ClientRule, String, String) -> Void) {
        for (index, request) in requests.enumerated().dropFirst() {
            let earlier = requests[..<index]
            if request.method == "POST", let billed = earlier.first(where: { $0.method == "POST" && $0.answer?.bodyBegan == true }), let answer = billed.answer {
                let after = seconds(answer.finished, request.arrived)
                add(.neverResendsBilledGeneration, "one request: the first answer (HTTP \(answer.status)) had begun",
                    "request \(index + 1) sent \(Judge.format(max(0, after))) s after request \(requests.firstIndex { $0.arrived == billed.arrived }.map { $0 + 1 } ?? 1)'s answer had begun: a second paid generation")
            }
            guard let previous = earlier.last?.answer, [429, 503].contains(previous.status), let wait = previous.retryAfter else { continue }
            let waited = seconds(previous.finished, request.arrived)
            if waited + retryTolerance < wait {
                add(.waitsRetryAfter, "request \(index + 1) at least \(Judge.format(wait)) s after the \(previous.status) (Retry-After: \(Judge.format(wait)))",
                    "it came \(Judge.format(max(0, waited))) s after")
            }
        }
    }

    private static func seconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double {
        let duration = from.duration(to: to)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
