import Delivery
import PropertyBased
import Testing
import TestKit

@Suite("Scenario text: parse, print, round trip, errors")
struct ScenarioTextTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var text: String
        var scenario: Scenario
        var testDescription: String { text }
    }

    /// Canonical texts, one per key and per fault form, and what they parse to.
    static let canonical: [Row] = [
        Row(text: "default", scenario: Scenario()),
        Row(text: "chunking=recorded", scenario: Scenario(chunking: .recorded)),
        Row(text: "chunking=bytes", scenario: Scenario(chunking: .bytes)),
        Row(text: "chunking=fixed:4096", scenario: Scenario(chunking: .fixed(4096))),
        Row(text: "chunking=random", scenario: Scenario(chunking: .random)),
        Row(text: "chunking=adversarial", scenario: Scenario(chunking: .adversarial)),
        Row(text: "seed=18446744073709551615", scenario: Scenario(seed: .max)),
        Row(text: "eol=lf", scenario: Scenario(lineEnding: .lf)),
        Row(text: "eol=crlf", scenario: Scenario(lineEnding: .crlf)),
        Row(text: "eol=cr", scenario: Scenario(lineEnding: .cr)),
        Row(text: "heartbeat=2", scenario: Scenario(heartbeatEvery: 2)),
        Row(text: "framing=length", scenario: Scenario(framing: .contentLength)),
        Row(text: "framing=close", scenario: Scenario(framing: .close)),
        Row(text: "time-scale=0", scenario: Scenario(timeScale: 0)),
        Row(text: "time-scale=0.25", scenario: Scenario(timeScale: 0.25)),
        Row(text: "time-scale=1e-05", scenario: Scenario(timeScale: 0.00001)),
        Row(text: "fault=close-after-bytes:0", scenario: Scenario(faults: [.closeAfterBytes(0)])),
        Row(text: "fault=close-after-event:2", scenario: Scenario(faults: [.closeAfterEvent(2)])),
        Row(text: "fault=reset-after-bytes:1000", scenario: Scenario(faults: [.resetAfterBytes(1000)])),
        Row(text: "fault=stall:1.5s@1000", scenario: Scenario(faults: [.stall(seconds: 1.5, afterBytes: 1000)])),
        Row(text: "fault=stall:2s@0", scenario: Scenario(faults: [.stall(seconds: 2, afterBytes: 0)])),
        Row(text: "fault=silence:90s@0", scenario: Scenario(faults: [.silence(seconds: 90, beforeEvent: 0, commentEvery: nil)])),
        Row(text: "fault=silence:1s@-1:comments=0.25s", scenario: Scenario(faults: [.silence(seconds: 1, beforeEvent: -1, commentEvery: 0.25)])),
        Row(text: "fault=status:429", scenario: Scenario(faults: [.httpStatus(429, retryAfter: nil)])),
        Row(text: "fault=status:503:retry-after=2", scenario: Scenario(faults: [.httpStatus(503, retryAfter: 2)])),
        Row(text: "fault=error-event:nested@3", scenario: Scenario(faults: [.errorEvent(shape: .nested, afterEvent: 3)])),
        Row(text: "fault=error-event:flat@0", scenario: Scenario(faults: [.errorEvent(shape: .flat, afterEvent: 0)])),
        Row(text: "fault=drop-final", scenario: Scenario(faults: [.dropFinalEvent])),
        Row(text: "fault=truncate-final-image", scenario: Scenario(faults: [.truncateFinalImage])),
        Row(text: "fault=duplicate:1", scenario: Scenario(faults: [.duplicateEvent(1)])),
        Row(text: "fault=swap:0:2", scenario: Scenario(faults: [.swapEvents(0, 2)])),
        Row(text: "fault=fewer-partials:1", scenario: Scenario(faults: [.fewerPartials(1)])),
        Row(text: "fault=ping@1", scenario: Scenario(faults: [.pingEvent(afterEvent: 1)])),
        Row(text: "fault=bom", scenario: Scenario(faults: [.leadingBOM])),
        Row(text: "fault=id-lines", scenario: Scenario(faults: [.idLines])),
        Row(text: "shape=live", scenario: Scenario(shape: .live)),
        Row(text: "images=full-size", scenario: Scenario(images: .fullSize)),
        Row(text: "fault=response-failed@4", scenario: Scenario(faults: [.responseFailed(afterEvent: 4)])),
        Row(text: "fault=error-event:nested@-2", scenario: Scenario(faults: [.errorEvent(shape: .nested, afterEvent: -2)])),
        Row(text: "fault=close-after-event:-1", scenario: Scenario(faults: [.closeAfterEvent(-1)])),
        Row(text: "fault=swap:-1:0", scenario: Scenario(faults: [.swapEvents(-1, 0)])),
        Row(text: "chunking=random,shape=live,images=full-size,fault=ping@-3", scenario: Scenario(chunking: .random, faults: [.pingEvent(afterEvent: -3)], shape: .live, images: .fullSize)),
        Row(
            text: "chunking=adversarial,seed=7,eol=crlf,heartbeat=2,framing=length,time-scale=0.5,fault=close-after-event:2,fault=stall:1.5s@1000",
            scenario: Scenario(
                chunking: .adversarial, seed: 7, lineEnding: .crlf, heartbeatEvery: 2, framing: .contentLength,
                faults: [.closeAfterEvent(2), .stall(seconds: 1.5, afterBytes: 1000)], timeScale: 0.5
            )
        ),
    ]

    @Test("Canonical text parses to the scenario and prints back unchanged", arguments: canonical)
    func canonicalRoundTrip(_ row: Row) throws {
        let parsed = try Scenario(parsing: row.text)
        #expect(parsed == row.scenario)
        #expect(parsed.description == row.text)
        #expect(row.scenario.description == row.text)
    }

    /// Other spellings that parse, and their canonical form.
    static let spellings: [(text: String, canonical: String)] = [
        ("", "default"),
        ("chunking=whole", "default"),
        ("seed=0", "default"),
        ("framing=chunked,time-scale=1", "default"),
        ("time-scale=1.50", "time-scale=1.5"),
        ("seed=007", "seed=7"),
        // The example from the design notes (time-scale omitted), already canonical.
        (
            "chunking=adversarial,seed=7,eol=crlf,heartbeat=2,framing=length,fault=close-after-event:2,fault=stall:1.5s@1000",
            "chunking=adversarial,seed=7,eol=crlf,heartbeat=2,framing=length,fault=close-after-event:2,fault=stall:1.5s@1000"
        ),
        ("bom", "fault=bom"),
        ("id-lines,drop-final,truncate-final-image", "fault=id-lines,fault=drop-final,fault=truncate-final-image"),
        ("fault=stall:250ms@5", "fault=stall:0.25s@5"),
        ("fault=stall:3.0s@5", "fault=stall:3s@5"),
        ("fault=silence:1500ms@0:comments=250ms", "fault=silence:1.5s@0:comments=0.25s"),
        // Keys print in canonical order; faults keep their own order.
        ("fault=swap:2:1,eol=cr,fault=bom,chunking=bytes", "chunking=bytes,eol=cr,fault=swap:2:1,fault=bom"),
    ]

    @Test("Other spellings print in canonical form", arguments: spellings)
    func spellingsPrintCanonically(_ row: (text: String, canonical: String)) throws {
        let parsed = try Scenario(parsing: row.text)
        #expect(parsed.description == row.canonical)
        #expect(try Scenario(parsing: row.canonical) == parsed)
    }

    /// Bad text, the error it gives, and words its message must contain (what is allowed).
    static let errors: [(text: String, error: ScenarioError, mentions: [String])] = [
        ("chunking=chunky", .invalidValue(key: "chunking", value: "chunky", allowed: ""), ["recorded", "whole", "bytes", "fixed:N", "random", "adversarial"]),
        ("chunking=fixed:0", .invalidValue(key: "chunking", value: "fixed:0", allowed: ""), ["fixed:N"]),
        ("chunking=fixed", .invalidValue(key: "chunking", value: "fixed", allowed: ""), ["fixed:N"]),
        ("eol=crcr", .invalidValue(key: "eol", value: "crcr", allowed: ""), ["lf", "crlf", "cr"]),
        ("framing=content-length", .invalidValue(key: "framing", value: "content-length", allowed: ""), ["chunked", "length", "close"]),
        ("heartbeat=0", .invalidValue(key: "heartbeat", value: "0", allowed: ""), ["N ≥ 1"]),
        ("seed=-1", .invalidValue(key: "seed", value: "-1", allowed: ""), ["unsigned"]),
        ("seed=18446744073709551616", .invalidValue(key: "seed", value: "18446744073709551616", allowed: ""), ["unsigned"]),
        ("time-scale=fast", .invalidValue(key: "time-scale", value: "fast", allowed: ""), ["decimal"]),
        ("time-scale=5000", .invalidValue(key: "time-scale", value: "5000", allowed: ""), ["1000"]),
        ("speed=2", .unknownKey("speed"), ["chunking", "seed", "eol", "heartbeat", "framing", "time-scale", "fault", "bom", "id-lines"]),
        ("turbo", .unknownKey("turbo"), ["chunking", "drop-final", "truncate-final-image"]),
        ("eol=lf,eol=cr", .duplicateKey("eol"), ["only `fault` may repeat"]),
        ("eol=lf,,seed=1", .emptyItem(in: "eol=lf,,seed=1"), ["single commas"]),
        ("eol=lf,", .emptyItem(in: "eol=lf,"), ["single commas"]),
        ("seed=1 2", .invalidCharacter(" ", in: "seed=1 2"), ["- _ . : = , @"]),
        ("eol=lf/", .invalidCharacter("/", in: "eol=lf/"), ["letters"]),
        ("fault=explode", .unknownFault("explode"), ["close-after-bytes:N", "stall:Ts@N", "status:S", "error-event:nested@K", "ping@K", "id-lines"]),
        ("fault=close-after-bytes", .invalidFault("close-after-bytes", expected: ""), ["close-after-bytes:N"]),
        ("fault=close-after-bytes:x", .invalidFault("close-after-bytes:x", expected: ""), ["close-after-bytes:N"]),
        ("fault=stall:1.5@10", .invalidFault("stall:1.5@10", expected: ""), ["stall:Ts@N"]),
        ("fault=stall:1.5s", .invalidFault("stall:1.5s", expected: ""), ["stall:Ts@N"]),
        ("fault=stall:100000s@1", .invalidFault("stall:100000s@1", expected: ""), ["stall:Ts@N"]),
        ("fault=silence:1s", .invalidFault("silence:1s", expected: ""), ["silence:Ts@K"]),
        ("fault=silence:1s@0:comments=0s", .invalidFault("silence:1s@0:comments=0s", expected: ""), ["C > 0"]),
        ("fault=silence:86400s@0:comments=1ms", .invalidFault("silence:86400s@0:comments=1ms", expected: ""), ["at most 10,000 comments"]),
        ("fault=silence:1s@0:every=1s", .invalidFault("silence:1s@0:every=1s", expected: ""), ["comments=Cs"]),
        ("fault=status:200", .invalidFault("status:200", expected: ""), ["400…599"]),
        ("fault=status:503:retry=2", .invalidFault("status:503:retry=2", expected: ""), ["retry-after=R"]),
        ("fault=error-event:loud@1", .invalidFault("error-event:loud@1", expected: ""), ["nested", "flat"]),
        ("fault=error-event:flat", .invalidFault("error-event:flat", expected: ""), ["error-event:flat@K"]),
        ("fault=swap:1:1", .invalidFault("swap:1:1", expected: ""), ["I ≠ J"]),
        ("fault=swap:1", .invalidFault("swap:1", expected: ""), ["swap:I:J"]),
        ("fault=ping:1", .invalidFault("ping:1", expected: ""), ["ping@K"]),
        ("fault=bom:1", .invalidFault("bom:1", expected: ""), ["bom"]),
        ("shape=real", .invalidValue(key: "shape", value: "real", allowed: ""), ["documented", "live"]),
        ("images=huge", .invalidValue(key: "images", value: "huge", allowed: ""), ["original", "full-size"]),
        ("fault=ping@-0", .invalidFault("ping@-0", expected: ""), ["ping@K"]),
        ("fault=close-after-bytes:-1", .invalidFault("close-after-bytes:-1", expected: ""), ["close-after-bytes:N"]),
    ]

    @Test("Bad text is an error that says what is allowed", arguments: errors)
    func errorsListChoices(_ row: (text: String, error: ScenarioError, mentions: [String])) {
        do {
            let scenario = try Scenario(parsing: row.text)
            Issue.record("\(row.text.debugDescription) parsed as \(scenario)")
        } catch {
            #expect(Self.kind(of: error) == Self.kind(of: row.error))
            for word in row.mentions {
                #expect(error.description.contains(word), "\(error.description) should mention \(word)")
            }
        }
    }

    /// The error's case and its offending text, ignoring the `allowed`/`expected` wording.
    static func kind(of error: ScenarioError) -> String {
        switch error {
        case .invalidCharacter(let character, let text): "invalidCharacter \(character) \(text)"
        case .emptyItem(let text): "emptyItem \(text)"
        case .unknownKey(let key): "unknownKey \(key)"
        case .duplicateKey(let key): "duplicateKey \(key)"
        case .invalidValue(let key, let value, _): "invalidValue \(key) \(value)"
        case .unknownFault(let name): "unknownFault \(name)"
        case .invalidFault(let text, _): "invalidFault \(text)"
        }
    }

    @Test("Random scenarios print text that parses back to them")
    func randomRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let scenario = Self.randomScenario(seed: UInt64(seed))
            let text = scenario.description
            #expect(text.allSatisfy { $0.isLetter || $0.isNumber || "-_.:=,@".contains($0) }, "\(text)")
            #expect(throws: Never.self) {
                let parsed = try Scenario(parsing: text)
                #expect(parsed == scenario, "\(text)")
                #expect(parsed.description == text)
            }
        }
    }

    static func randomScenario(seed: UInt64) -> Scenario {
        var random = SeededRandom(seed: seed)
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        var scenario = Scenario()
        scenario.chunking = [.recorded, .whole, .bytes, .fixed(int(1...9999)), .random, .adversarial][int(0...5)]
        if Bool.random(using: &random) { scenario.seed = random.next() }
        scenario.lineEnding = [nil, .lf, .crlf, .cr][int(0...3)]
        if Bool.random(using: &random) { scenario.heartbeatEvery = int(1...9) }
        scenario.framing = Framing.allCases[int(0...2)]
        if Bool.random(using: &random) { scenario.timeScale = Double(int(0...4000)) / 8 / 4 }
        scenario.shape = ResponseShape.allCases[int(0...1)]
        scenario.images = ImageSizing.allCases[int(0...1)]
        let faults: [Fault] = [
            .closeAfterBytes(int(0...99999)), .closeAfterEvent(int(0...9)), .resetAfterBytes(int(0...99999)),
            .stall(seconds: Double(int(0...800)) / 16, afterBytes: int(0...99999)),
            .httpStatus(int(400...599), retryAfter: Bool.random(using: &random) ? int(0...120) : nil),
            .errorEvent(shape: Bool.random(using: &random) ? .flat : .nested, afterEvent: int(0...9)),
            .dropFinalEvent, .truncateFinalImage, .duplicateEvent(int(0...9)), .swapEvents(int(0...4), int(5...9)),
            .fewerPartials(int(0...3)), .pingEvent(afterEvent: int(-9...9)), .leadingBOM, .idLines,
            .responseFailed(afterEvent: int(-9...9)), .errorEvent(shape: .nested, afterEvent: int(-9 ... -1)),
        ]
        for _ in 0..<int(0...4) { scenario.faults.append(faults[int(0...(faults.count - 1))]) }
        return scenario
    }
}
