@testable import Delivery
import SSEWire
import TestKit

/// What a client can observe of an event (everything but where its bytes were).
struct Seen: Hashable, CustomStringConvertible {
    var type: String
    var data: String
    var lastEventID: String
    var retry: Int?

    init(_ event: SSEEvent) {
        type = event.type
        data = event.data
        lastEventID = event.lastEventID
        retry = event.retry
    }

    var description: String { "\(type) (\(data.utf8.count) bytes, id \(lastEventID.debugDescription))" }
}

enum Check {
    /// Feeds the delivered fragments to a parser one by one, as a client reads them.
    static func parseDelivered(_ plan: DeliveryPlan) -> (events: [SSEEvent], end: SSEStreamEnd) {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in plan.deliveredChunks {
            parser.feed(chunk) { events.append($0) }
        }
        return (events, parser.finish())
    }

    static func seen(_ events: [SSEEvent]) -> [Seen] { events.map(Seen.init) }

    static func seen(parsing bytes: [UInt8]) -> [Seen] { seen(SSEParser.parse(bytes).events) }

    /// Nil when the fragments are non-empty, consecutive from 0 and end at `end`; else why not.
    static func fragmentProblem(_ fragments: Fragments, end: Int) -> String? {
        var position = 0
        for (index, fragment) in fragments.enumerated() {
            if fragment.range.isEmpty { return "fragment \(index) is empty" }
            if fragment.range.lowerBound != position { return "fragment \(index) starts at \(fragment.range.lowerBound), not \(position)" }
            position = fragment.range.upperBound
        }
        return position == end ? nil : "fragments end at \(position), not \(end)"
    }

    static func concatenation(_ plan: DeliveryPlan) -> [UInt8] {
        var bytes: [UInt8] = []
        for chunk in plan.deliveredChunks { bytes += chunk }
        return bytes
    }

    /// The offsets where fragments meet.
    static func boundaries(_ fragments: Fragments) -> Set<Int> {
        Set(fragments.dropFirst().map(\.range.lowerBound))
    }

    static func plan(
        _ body: [UInt8],
        _ scenario: String,
        surface: String = "images.generate",
        isEventStream: Bool = true,
        recorded: [(length: Int, at: Duration)]? = nil
    ) throws -> DeliveryPlan {
        DeliveryPlanner.plan(body: body, isEventStream: isEventStream, surface: surface, recordedChunks: recorded, scenario: try Scenario(parsing: scenario))
    }
}

/// Where an adversarial cut must land, found independently of the planner with plain loops.
enum Hazard: String, CaseIterable, CustomStringConvertible {
    case insideCRLF, insideDataName, aroundFieldColon, insideUTF8, insideBOM, betweenBlankLineEnds

    var description: String { rawValue }

    static func offsets(of hazard: Hazard, in bytes: [UInt8]) -> [Int] {
        let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, colon: UInt8 = 0x3A
        let isLineEnd = { (byte: UInt8) in byte == cr || byte == lf }
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        // Line starts and line ends, a CRLF counting as one line end.
        var lines: [(start: Int, end: Int)] = []
        var start = hasBOM ? 3 : 0
        var index = start
        while index < bytes.count {
            if isLineEnd(bytes[index]) {
                lines.append((start, index))
                index += bytes[index] == cr && index + 1 < bytes.count && bytes[index + 1] == lf ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { lines.append((start, bytes.count)) }

        var offsets: [Int] = []
        switch hazard {
        case .insideCRLF:
            for index in bytes.indices.dropLast() where bytes[index] == cr && bytes[index + 1] == lf {
                offsets.append(index + 1)
            }
        case .insideDataName:
            for line in lines where bytes[line.start..<line.end].starts(with: Array("data:".utf8)) {
                offsets += [line.start + 1, line.start + 2, line.start + 3, line.start + 4]
            }
        case .aroundFieldColon:
            for line in lines where line.end > line.start && bytes[line.start] != colon {
                if let found = bytes[line.start..<line.end].firstIndex(of: colon) {
                    offsets += [found, found + 1]
                }
            }
        case .insideUTF8:
            for index in bytes.indices where bytes[index] & 0xC0 == 0x80 {
                offsets.append(index)
            }
        case .insideBOM:
            if hasBOM { offsets = [1, 2] }
        case .betweenBlankLineEnds:
            for line in lines where line.end < bytes.count {
                var next = line.end + 1
                if bytes[line.end] == cr, next < bytes.count, bytes[next] == lf { next += 1 }
                if next < bytes.count, isLineEnd(bytes[next]) { offsets.append(next) }
            }
        }
        return offsets.filter { $0 > 0 && $0 < bytes.count }
    }
}

/// Realistic OpenAI image streams, built from a seed.
enum Streams {
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : 0x3D)
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct Options {
        var partials = 2
        var imageBytes = 300
        var lineEnding = "\n"
        var bom = false
        var comment = false
        var eventLines = true
        var prefix = "image_generation"
    }

    static func options(seed: UInt64) -> Options {
        var random = SeededRandom(seed: seed)
        var options = Options()
        options.partials = Int.random(in: 0...3, using: &random)
        options.imageBytes = Int.random(in: 1...1500, using: &random)
        options.lineEnding = ["\n", "\r\n", "\r"].randomElement(using: &random)!
        options.bom = Bool.random(using: &random)
        options.comment = Bool.random(using: &random)
        options.eventLines = Int.random(in: 0...3, using: &random) > 0
        options.prefix = Bool.random(using: &random) ? "image_generation" : "image_edit"
        return options
    }

    /// `event: <prefix>.partial_image` events then a completed event, each with one JSON
    /// `data` line; optionally a BOM, a comment with multi-byte UTF-8, and no `event:` lines.
    static func images(_ options: Options, seed: UInt64 = 1) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let eol = options.lineEnding
        var text = ""
        if options.comment { text += ": café 🦦 keep-alive" + eol }
        func event(_ type: String, _ json: String) {
            if options.eventLines { text += "event: \(type)" + eol }
            text += "data: \(json)" + eol + eol
        }
        for index in 0..<options.partials {
            let type = "\(options.prefix).partial_image"
            event(type, #"{"type":"\#(type)","b64_json":"\#(base64(random.bytes(options.imageBytes)))","created_at":1620000000,"size":"1024x1024","quality":"high","background":"transparent","output_format":"png","partial_image_index":\#(index)}"#)
        }
        let type = "\(options.prefix).completed"
        event(type, #"{"type":"\#(type)","b64_json":"\#(base64(random.bytes(options.imageBytes)))","created_at":1620000000,"size":"1024x1024","quality":"high","background":"transparent","output_format":"png","usage":{"total_tokens":100,"input_tokens":50,"output_tokens":50,"input_tokens_details":{"text_tokens":10,"image_tokens":40}}}"#)
        return (options.bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }

    /// A Responses API stream with the image generation tool: created, in_progress, partial
    /// images, the done item, completed; sequence numbers from 0.
    static func responses(partials: Int = 2, imageBytes: Int = 300, responseID: String = "resp_68c1a2b3") -> [UInt8] {
        var random = SeededRandom(seed: 9)
        var text = ""
        var sequence = 0
        func event(_ type: String, _ body: String) {
            text += "event: \(type)\ndata: {\"type\":\"\(type)\",\"sequence_number\":\(sequence),\(body)}\n\n"
            sequence += 1
        }
        event("response.created", #""response":{"id":"\#(responseID)","object":"response","status":"in_progress","output":[]}"#)
        event("response.in_progress", #""response":{"id":"\#(responseID)","object":"response","status":"in_progress","output":[]}"#)
        for index in 0..<partials {
            event("response.image_generation_call.partial_image", #""output_index":0,"item_id":"ig_1","partial_image_index":\#(index),"partial_image_b64":"\#(base64(random.bytes(imageBytes)))""#)
        }
        let image = base64(random.bytes(imageBytes))
        event("response.output_item.done", #""output_index":0,"item":{"id":"ig_1","type":"image_generation_call","status":"completed","result":"\#(image)"}"#)
        event("response.completed", #""response":{"id":"\#(responseID)","object":"response","status":"completed","output":[{"id":"ig_1","type":"image_generation_call","result":"\#(image)"}]}"#)
        return Array(text.utf8)
    }

    /// The string value of `"key":"…"` in JSON text, by plain search.
    static func stringValue(_ key: String, in json: String) -> String? {
        guard let range = json.firstRange(of: "\"\(key)\":\"") else { return nil }
        let rest = json[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
