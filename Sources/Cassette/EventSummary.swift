import SSEWire
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One event of a response as people look at it: the derived `events` list of a cassette file
/// and `CassetteText.show` both describe events this way.
struct EventSummary: Sendable {
    var index: Int
    /// The JSON data's `type` member when it has a string one, else the event type (the
    /// `event` field, or `message`).
    var type: String
    /// The event's bytes in the body, its blank line included.
    var byteRange: Range<Int>
    var event: SSEEvent
}

extension RecordedResponse {
    /// The body's events, each with its type and where its bytes are, and how the body ended.
    func eventSummaries() -> (events: [EventSummary], end: SSEStreamEnd) {
        let (events, end) = SSEParser.parse(recording.bytes)
        let summaries = events.enumerated().map { index, event in
            let bytes = recording.bytes(of: event)
            let type = JSONPeek.topLevelString("type", in: event.data) ?? event.type
            return EventSummary(index: index, type: type, byteRange: bytes.startIndex..<bytes.endIndex, event: event)
        }
        return (summaries, end)
    }
}

/// Reads one member of a JSON object without parsing the rest: an event's `type` is found
/// without decoding the megabytes of base64 beside it.
enum JSONPeek {
    /// The string value of the top-level member `name`, when the text is an object that has one.
    static func topLevelString(_ name: String, in text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.topLevelString(Array(name.utf8))
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        mutating func topLevelString(_ name: [UInt8]) -> String? {
            skipWhitespace()
            guard peek(UInt8(ascii: "{")) else { return nil }
            index += 1
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { return nil }
                let keyStart = index + 1
                guard skipString() else { return nil }
                let key = bytes[keyStart..<(index - 1)]
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { return nil }
                index += 1
                skipWhitespace()
                if key.elementsEqual(name) {
                    guard peek(UInt8(ascii: "\"")) else { return nil }
                    let valueStart = index
                    guard skipString() else { return nil }
                    return try? JSON.parse(UnsafeBufferPointer(rebasing: bytes[valueStart..<index])).string
                }
                guard skipValue() else { return nil }
                skipWhitespace()
                guard peek(UInt8(ascii: ",")) else { return nil }
                index += 1
            }
        }

        /// From an opening quote to just past the closing one. The closing quote is found with
        /// `memchr`, so a long payload is passed over at memory speed.
        mutating func skipString() -> Bool {
            let start = index + 1
            var from = start
            guard let base = bytes.baseAddress else { return false }
            while from < bytes.count {
                guard let found = memchr(base + from, 0x22, bytes.count - from) else { return false }
                let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var backslashes = 0
                while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
                    backslashes += 1
                }
                if backslashes % 2 == 0 {
                    index = quote + 1
                    return true
                }
                from = quote + 1
            }
            return false
        }

        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return true
                    default: index += 1
                    }
                }
                return true
            }
        }
    }
}
