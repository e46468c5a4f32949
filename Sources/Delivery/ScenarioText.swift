/// The text form of a scenario, for URL paths (`/s/<scenario>/v1/...`) and the command line.
///
/// ```
/// scenario = "" | "default" | item *("," item)
/// item     = "chunking=" chunking        recorded | whole | bytes | fixed:N | random | adversarial
///          | "seed=" N                   0 … 18446744073709551615
///          | "eol=" eol                  lf | crlf | cr
///          | "heartbeat=" N              N ≥ 1
///          | "framing=" framing          chunked | length | close
///          | "time-scale=" X             decimal, 0 … 1000 (1 = recorded speed, 0 = no delays)
///          | "pace=" T                   the least time between writes: 2ms, 0.5s (≤ 10 s)
///          | "shape=" shape              documented | live
///          | "images=" images            original | full-size
///          | "progress=" on | off        the answer is a job on the progress channel
///          | "fault=" fault              repeatable
///          | flag                        bom | id-lines | drop-final | truncate-final-image
/// fault    = close-after-bytes:N | close-after-event:K | reset-after-bytes:N
///          | stall:T@N                   T = decimal seconds with "s" (1.5s) or "ms" (250ms), ≤ 86400 s
///          | silence:T@K | silence:T@K:comments=C    silent T before event K, a comment every C
///          | status:S | status:S:retry-after=R      S = 400 … 599, R ≥ 0 seconds
///          | error-event:nested@K | error-event:flat@K | response-failed@K
///          | drop-final | truncate-final-image | duplicate:K | swap:I:J (I ≠ J)
///          | fewer-partials:N | ping@K | bom | id-lines
///          | url-image:missing | url-image:truncated | url-image:other-format
///          | progress:stall@P | progress:backwards@P | progress:close@P      P = 0 … 100 (%)
///          | progress:skip-100 | progress:late | progress:none | progress:missed-pong | progress:malformed
/// ```
///
/// An event index K (I, J) may be negative, counting from the end: -1 is the last event.
///
/// Only path-safe characters occur: ASCII letters, digits and `- _ . : = , @`. Every key but
/// `fault` may appear once. A bare flag is shorthand for `fault=<flag>`.
///
/// The canonical text (``Scenario/description``) lists only what differs from the default, in
/// the order chunking, seed, eol, heartbeat, framing, time-scale, pace, shape, images, progress, then each fault as
/// `fault=…` in the scenario's order; the default scenario prints as `default`. Decimals print
/// without a trailing `.0` (`stall:2s@10`, `time-scale=0.5`), stalls always in seconds.
extension Scenario: CustomStringConvertible {
    public init(parsing text: String) throws(ScenarioError) {
        self.init()
        if let bad = text.first(where: { !ScenarioText.isAllowed($0) }) {
            throw .invalidCharacter(bad, in: text)
        }
        if text.isEmpty || text == "default" { return }
        var seen: Set<String> = []
        for itemText in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(itemText)
            guard !item.isEmpty else { throw .emptyItem(in: text) }
            guard let equals = item.firstIndex(of: "=") else {
                guard ScenarioText.flags.contains(item) else { throw .unknownKey(item) }
                faults.append(try ScenarioText.parseFault(item))
                continue
            }
            let key = String(item[..<equals])
            let value = String(item[item.index(after: equals)...])
            guard ScenarioText.keys.contains(key) else { throw .unknownKey(key) }
            if key != "fault" {
                guard seen.insert(key).inserted else { throw .duplicateKey(key) }
            }
            switch key {
            case "chunking":
                chunking = try ScenarioText.parseChunking(value)
            case "seed":
                guard let seed = ScenarioText.digits(value).flatMap({ UInt64($0) }) else {
                    throw .invalidValue(key: key, value: value, allowed: "an unsigned integer, 0 … \(UInt64.max)")
                }
                self.seed = seed
            case "eol":
                guard let ending = LineEndingRewrite(rawValue: value) else {
                    throw .invalidValue(key: key, value: value, allowed: ScenarioText.list(LineEndingRewrite.allCases.map(\.rawValue)))
                }
                lineEnding = ending
            case "heartbeat":
                guard let every = ScenarioText.integer(value), every >= 1 else {
                    throw .invalidValue(key: key, value: value, allowed: "an integer N ≥ 1 (a comment before every Nth event)")
                }
                heartbeatEvery = every
            case "framing":
                guard let framing = Framing(rawValue: value) else {
                    throw .invalidValue(key: key, value: value, allowed: ScenarioText.list(Framing.allCases.map(\.rawValue)))
                }
                self.framing = framing
            case "time-scale":
                guard let scale = ScenarioText.decimal(value), scale <= 1000 else {
                    throw .invalidValue(key: key, value: value, allowed: "a decimal from 0 to 1000, such as 0, 0.5 or 2")
                }
                timeScale = scale
            case "pace":
                guard let seconds = ScenarioText.seconds(value), seconds <= 10 else {
                    throw .invalidValue(key: key, value: value, allowed: "a time of at most 10 s with ms or s, such as 2ms or 0.5s")
                }
                pace = .milliseconds(Int64((seconds * 1000).rounded()))
            case "shape":
                guard let shape = ResponseShape(rawValue: value) else {
                    throw .invalidValue(key: key, value: value, allowed: ScenarioText.list(ResponseShape.allCases.map(\.rawValue)))
                }
                self.shape = shape
            case "images":
                guard let images = ImageSizing(rawValue: value) else {
                    throw .invalidValue(key: key, value: value, allowed: ScenarioText.list(ImageSizing.allCases.map(\.rawValue)))
                }
                self.images = images
            case "progress":
                guard value == "on" || value == "off" else { throw .invalidValue(key: key, value: value, allowed: "on, off") }
                progress = value == "on"
            default: // "fault"
                faults.append(try ScenarioText.parseFault(value))
            }
        }
    }

    public var description: String {
        var items: [String] = []
        if chunking != .whole { items.append("chunking=\(chunking)") }
        if seed != 0 { items.append("seed=\(seed)") }
        if let lineEnding { items.append("eol=\(lineEnding.rawValue)") }
        if let heartbeatEvery { items.append("heartbeat=\(heartbeatEvery)") }
        if framing != .chunked { items.append("framing=\(framing.rawValue)") }
        if timeScale != 1 { items.append("time-scale=\(ScenarioText.format(timeScale))") }
        if pace > .zero {
            let milliseconds = Double(pace.components.seconds) * 1000 + Double(pace.components.attoseconds) / 1e15
            items.append("pace=\(ScenarioText.format(milliseconds))ms")
        }
        if shape != .documented { items.append("shape=\(shape.rawValue)") }
        if images != .original { items.append("images=\(images.rawValue)") }
        if progress { items.append("progress=on") }
        for fault in faults { items.append("fault=\(fault)") }
        return items.isEmpty ? "default" : items.joined(separator: ",")
    }
}

extension Chunking: CustomStringConvertible {
    /// The text form: `recorded`, `whole`, `bytes`, `fixed:N`, `random` or `adversarial`.
    public var description: String {
        switch self {
        case .recorded: "recorded"
        case .whole: "whole"
        case .bytes: "bytes"
        case .fixed(let size): "fixed:\(size)"
        case .random: "random"
        case .adversarial: "adversarial"
        }
    }
}

extension Fault: CustomStringConvertible {
    /// The text form used after `fault=`.
    public var description: String {
        switch self {
        case .closeAfterBytes(let count): "close-after-bytes:\(count)"
        case .closeAfterEvent(let index): "close-after-event:\(index)"
        case .resetAfterBytes(let count): "reset-after-bytes:\(count)"
        case .stall(let seconds, let offset): "stall:\(ScenarioText.format(seconds))s@\(offset)"
        case .silence(let seconds, let index, let every):
            "silence:\(ScenarioText.format(seconds))s@\(index)" + (every.map { ":comments=\(ScenarioText.format($0))s" } ?? "")
        case .httpStatus(let status, nil): "status:\(status)"
        case .httpStatus(let status, let retryAfter?): "status:\(status):retry-after=\(retryAfter)"
        case .errorEvent(let shape, let index): "error-event:\(shape.rawValue)@\(index)"
        case .responseFailed(let index): "response-failed@\(index)"
        case .dropFinalEvent: "drop-final"
        case .truncateFinalImage: "truncate-final-image"
        case .duplicateEvent(let index): "duplicate:\(index)"
        case .swapEvents(let first, let second): "swap:\(first):\(second)"
        case .fewerPartials(let count): "fewer-partials:\(count)"
        case .pingEvent(let index): "ping@\(index)"
        case .leadingBOM: "bom"
        case .idLines: "id-lines"
        case .urlImage(let fault): "url-image:\(fault.rawValue)"
        case .progress(let fault): "progress:\(fault)"
        }
    }
}

/// Text that is not a scenario. Each message says what would have been accepted.
public enum ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A character outside ASCII letters, digits and `- _ . : = , @`.
    case invalidCharacter(Character, in: String)
    /// Two commas in a row, or a comma at either end.
    case emptyItem(in: String)
    /// A key (or bare flag) the grammar does not have.
    case unknownKey(String)
    /// A key other than `fault` given twice.
    case duplicateKey(String)
    /// A known key with a value it does not take.
    case invalidValue(key: String, value: String, allowed: String)
    /// A fault name the grammar does not have.
    case unknownFault(String)
    /// A known fault with a malformed or out-of-range argument.
    case invalidFault(String, expected: String)

    public var description: String {
        switch self {
        case .invalidCharacter(let character, let text):
            "invalid character \(String(reflecting: String(character))) in scenario \(String(reflecting: text)); allowed: ASCII letters, digits and - _ . : = , @"
        case .emptyItem(let text):
            "empty item in scenario \(String(reflecting: text)); items are separated by single commas"
        case .unknownKey(let key):
            "unknown scenario item \(String(reflecting: key)); allowed keys: \(ScenarioText.list(ScenarioText.keys)); flags: \(ScenarioText.list(ScenarioText.flags)); or `default`"
        case .duplicateKey(let key):
            "scenario key \(String(reflecting: key)) given twice; only `fault` may repeat"
        case .invalidValue(let key, let value, let allowed):
            "invalid \(key) \(String(reflecting: value)); allowed: \(allowed)"
        case .unknownFault(let name):
            "unknown fault \(String(reflecting: name)); allowed: \(ScenarioText.list(ScenarioText.faultForms.map(\.form)))"
        case .invalidFault(let text, let expected):
            "invalid fault \(String(reflecting: text)); expected \(expected)"
        }
    }
}

enum ScenarioText {
    /// A time written with `ms` or `s`, in seconds.
    static func seconds(_ text: some StringProtocol) -> Double? {
        if text.hasSuffix("ms") { return decimal(text.dropLast(2)).map { $0 / 1000 } }
        if text.hasSuffix("s") { return decimal(text.dropLast(1)) }
        return nil
    }

    static let keys = ["chunking", "seed", "eol", "heartbeat", "framing", "time-scale", "pace", "shape", "images", "progress", "fault"]
    static let flags = ["bom", "id-lines", "drop-final", "truncate-final-image"]
    static let chunkingForms = ["recorded", "whole", "bytes", "fixed:N (N ≥ 1)", "random", "adversarial"]
    static let faultForms: [(name: String, form: String)] = [
        ("close-after-bytes", "close-after-bytes:N"),
        ("close-after-event", "close-after-event:K (K < 0 counts from the end)"),
        ("reset-after-bytes", "reset-after-bytes:N"),
        ("stall", "stall:Ts@N (T in seconds, or Tms)"),
        ("silence", "silence:Ts@K or silence:Ts@K:comments=Cs (C > 0, at most 10,000 comments; K < 0 counts from the end)"),
        ("status", "status:S or status:S:retry-after=R (S = 400…599)"),
        ("error-event", "error-event:nested@K or error-event:flat@K (K < 0 counts from the end)"),
        ("response-failed", "response-failed@K"),
        ("drop-final", "drop-final"),
        ("truncate-final-image", "truncate-final-image"),
        ("duplicate", "duplicate:K (K < 0 counts from the end)"),
        ("swap", "swap:I:J (I ≠ J)"),
        ("fewer-partials", "fewer-partials:N"),
        ("ping", "ping@K (K < 0 counts from the end)"),
        ("bom", "bom"),
        ("id-lines", "id-lines"),
        ("url-image", "url-image:missing, url-image:truncated or url-image:other-format"),
        ("progress", "progress:stall@P, progress:backwards@P, progress:skip-100, progress:late, progress:close@P, progress:none, progress:missed-pong or progress:malformed (P = 0…100)"),
    ]

    /// Stalls are capped at a day and time scales at 1000: enough for any test, and small
    /// enough that `Double.description` never switches to an exponent with a `+` sign.
    static let maxStallSeconds = 86_400.0

    static func isAllowed(_ character: Character) -> Bool {
        guard character.isASCII, let value = character.asciiValue else { return false }
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "-_.:=,@".utf8.contains(value)
        }
    }

    static func list(_ items: [String]) -> String { items.joined(separator: ", ") }

    /// Only ASCII digits (no sign): returns the text for a fixed-width integer initializer.
    static func digits(_ text: some StringProtocol) -> String? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(text)
    }

    static func integer(_ text: some StringProtocol) -> Int? {
        digits(text).flatMap { Int($0) }
    }

    /// An event index: digits, or a minus sign and digits (from the end).
    static func eventIndex(_ text: some StringProtocol) -> Int? {
        guard text.hasPrefix("-") else { return integer(text) }
        return integer(text.dropFirst()).flatMap { $0 > 0 ? -$0 : nil }
    }

    /// A finite, non-negative decimal: digits with an optional fraction and an optional
    /// exponent (`1e-05` is how very small values print).
    static func decimal(_ text: some StringProtocol) -> Double? {
        guard let first = text.utf8.first, first >= 0x30, first <= 0x39,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x65 || $0 == 0x2D }),
              let value = Double(String(text)), value.isFinite, value >= 0 else { return nil }
        return value
    }

    /// A decimal that ``decimal(_:)`` reads back exactly: integral values without `.0`.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int(value))
        }
        return value.description
    }

    static func parseChunking(_ value: String) throws(ScenarioError) -> Chunking {
        switch value {
        case "recorded": return .recorded
        case "whole": return .whole
        case "bytes": return .bytes
        case "random": return .random
        case "adversarial": return .adversarial
        default:
            if value.hasPrefix("fixed:"), let size = integer(value.dropFirst(6)), size >= 1 {
                return .fixed(size)
            }
            throw .invalidValue(key: "chunking", value: value, allowed: list(chunkingForms))
        }
    }

    static func parseFault(_ text: String) throws(ScenarioError) -> Fault {
        let nameEnd = text.firstIndex(where: { $0 == ":" || $0 == "@" }) ?? text.endIndex
        let name = String(text[..<nameEnd])
        guard let form = faultForms.first(where: { $0.name == name })?.form else { throw .unknownFault(name) }
        let separator = nameEnd < text.endIndex ? text[nameEnd] : nil
        let argument = nameEnd < text.endIndex ? String(text[text.index(after: nameEnd)...]) : ""
        let invalid = ScenarioError.invalidFault(text, expected: form)

        func one(_ separatorWanted: Character) throws(ScenarioError) -> Int {
            guard separator == separatorWanted, let value = integer(argument) else { throw invalid }
            return value
        }

        func event(_ separatorWanted: Character) throws(ScenarioError) -> Int {
            guard separator == separatorWanted, let value = eventIndex(argument) else { throw invalid }
            return value
        }

        switch name {
        case "close-after-bytes": return .closeAfterBytes(try one(":"))
        case "close-after-event": return .closeAfterEvent(try event(":"))
        case "reset-after-bytes": return .resetAfterBytes(try one(":"))
        case "duplicate": return .duplicateEvent(try event(":"))
        case "fewer-partials": return .fewerPartials(try one(":"))
        case "ping": return .pingEvent(afterEvent: try event("@"))
        case "response-failed": return .responseFailed(afterEvent: try event("@"))
        case "url-image":
            guard separator == ":", let fault = URLImageFault(rawValue: argument) else { throw invalid }
            return .urlImage(fault)
        case "progress":
            guard separator == ":", let fault = ProgressFault(argument) else { throw invalid }
            return .progress(fault)
        case "swap":
            let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
            guard separator == ":", parts.count == 2, let first = eventIndex(parts[0]), let second = eventIndex(parts[1]),
                  first != second else { throw invalid }
            return .swapEvents(first, second)
        case "stall":
            let parts = argument.split(separator: "@", omittingEmptySubsequences: false)
            guard separator == ":", parts.count == 2, let offset = integer(parts[1]) else { throw invalid }
            guard let seconds = seconds(parts[0]), seconds <= maxStallSeconds else { throw invalid }
            return .stall(seconds: seconds, afterBytes: offset)
        case "silence":
            let parts = argument.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            guard separator == ":", parts.count == 2, let seconds = seconds(parts[0]), seconds <= maxStallSeconds else { throw invalid }
            let target = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(target.count), let index = eventIndex(target[0]) else { throw invalid }
            guard target.count == 2 else { return .silence(seconds: seconds, beforeEvent: index, commentEvery: nil) }
            // At most 10,000 comments: one every millisecond of a day would be 86 million.
            guard target[1].hasPrefix("comments="), let every = ScenarioText.seconds(target[1].dropFirst(9)), every > 0,
                  seconds / every <= 10_000 else { throw invalid }
            return .silence(seconds: seconds, beforeEvent: index, commentEvery: every)
        case "status":
            let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
            guard separator == ":", (1...2).contains(parts.count), let status = integer(parts[0]),
                  (400...599).contains(status) else { throw invalid }
            guard parts.count == 2 else { return .httpStatus(status, retryAfter: nil) }
            guard parts[1].hasPrefix("retry-after="), let seconds = integer(parts[1].dropFirst(12)) else { throw invalid }
            return .httpStatus(status, retryAfter: seconds)
        case "error-event":
            let parts = argument.split(separator: "@", omittingEmptySubsequences: false)
            guard separator == ":", parts.count == 2, let shape = ErrorShape(rawValue: String(parts[0])),
                  let index = eventIndex(parts[1]) else { throw invalid }
            return .errorEvent(shape: shape, afterEvent: index)
        default:
            // The argument-less faults: the name must be the whole text.
            guard separator == nil else { throw invalid }
            switch name {
            case "drop-final": return .dropFinalEvent
            case "truncate-final-image": return .truncateFinalImage
            case "bom": return .leadingBOM
            default: return .idLines
            }
        }
    }
}

extension ProgressFault: CustomStringConvertible {
    /// The text after `progress:`.
    public var description: String {
        switch self {
        case .stall(let percent): "stall@\(percent)"
        case .backwards(let percent): "backwards@\(percent)"
        case .skip100: "skip-100"
        case .late: "late"
        case .close(let percent): "close@\(percent)"
        case .none: "none"
        case .missedPong: "missed-pong"
        case .malformed: "malformed"
        }
    }

    init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let percent = Int(parts[1]), (0...100).contains(percent), parts[1].allSatisfy(\.isNumber) else { return nil }
            switch parts[0] {
            case "stall": self = .stall(atPercent: percent)
            case "backwards": self = .backwards(atPercent: percent)
            case "close": self = .close(atPercent: percent)
            default: return nil
            }
            return
        }
        switch text {
        case "skip-100": self = .skip100
        case "late": self = .late
        case "none": self = .none
        case "missed-pong": self = .missedPong
        case "malformed": self = .malformed
        default: return nil
        }
    }
}
