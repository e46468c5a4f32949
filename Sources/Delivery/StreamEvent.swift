import SSEWire

/// One event of the input stream, as the parser found it, with the JSON objects of its data.
struct StreamEvent {
    /// The block's first byte.
    var start: Int
    /// The first byte of the blank line's line end (the parser's `byteRange.upperBound`).
    var terminatorStart: Int
    /// Just past the blank line's line end (CRLF included).
    var end: Int
    /// The `event` field, or the JSON `"type"` of the data when there is none.
    var kind: String
    /// Whether the block had a non-empty `event` field.
    var hasEventField: Bool
    /// `data: [DONE]` (the SDKs match it as a prefix).
    var isDone: Bool
    /// The objects of the data's JSON, when the data is one line (as every real server
    /// writes it); nil for data spread over several lines, which rewrites leave as they are.
    var json: JSONObjects?

    /// Partial-image events of every surface: `image_generation.partial_image`,
    /// `image_edit.partial_image`, `response.image_generation_call.partial_image`.
    var isPartial: Bool { kind.hasSuffix("partial_image") }

    /// The data's outermost object.
    var top: JSONObjects.Object? { json?.top }

    /// The image payloads (the contents of their strings), in order, with their member names.
    var images: [(key: String, range: Range<Int>, in: JSONObjects.Object)] {
        guard let json else { return [] }
        var found: [(key: String, range: Range<Int>, in: JSONObjects.Object)] = []
        for object in json.objects {
            for member in object.members where ImagePayloadKeys.all.contains(member.key) {
                guard member.value.count >= 2 else { continue }
                found.append((member.key, (member.value.lowerBound + 1)..<(member.value.upperBound - 1), object))
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The object that is the value of `key` in `object`.
    func object(_ key: String, in object: JSONObjects.Object?) -> JSONObjects.Object? {
        guard let range = object?.value(key) else { return nil }
        return json?.objects.first { $0.range == range }
    }

    /// Every dispatched event of `bytes`, with its exact byte span.
    static func parse(_ bytes: [UInt8]) -> [StreamEvent] {
        let parsed = SSEParser.parse(bytes).events
        let recording = SSERecording(bytes: bytes)
        return bytes.withUnsafeBufferPointer { buffer in
            parsed.map { event in
                let start = event.byteRange.lowerBound
                let terminatorStart = event.byteRange.upperBound
                let json = singleDataLine(in: buffer, block: start..<terminatorStart).map { JSONObjects(buffer, range: $0) }
                var kind = event.eventField
                if kind.isEmpty {
                    kind = JSONObjects.string(json?.top?.value("type"), in: buffer) ?? "message"
                }
                return StreamEvent(
                    start: start, terminatorStart: terminatorStart, end: recording.bytes(of: event).endIndex,
                    kind: kind, hasEventField: !event.eventField.isEmpty, isDone: event.data.hasPrefix("[DONE]"), json: json
                )
            }
        }
    }

    /// The value of the block's one `data:` line (after the colon and one space), or nil when
    /// the block has none or several.
    static func singleDataLine(in bytes: UnsafeBufferPointer<UInt8>, block: Range<Int>) -> Range<Int>? {
        var found: Range<Int>?
        var lineStart = block.lowerBound
        let prefix = Array("data:".utf8)
        while lineStart < block.upperBound {
            let lineEnd = ByteScan.firstInteresting(in: bytes, from: lineStart, to: block.upperBound, nonASCII: false, colons: false)
            if lineEnd - lineStart >= prefix.count, prefix.indices.allSatisfy({ bytes[lineStart + $0] == prefix[$0] }) {
                guard found == nil else { return nil }
                var valueStart = lineStart + prefix.count
                if valueStart < lineEnd, bytes[valueStart] == 0x20 { valueStart += 1 }
                found = valueStart..<lineEnd
            }
            // Past the line end; a CRLF is one.
            lineStart = lineEnd + 1
            if lineEnd < block.upperBound, bytes[lineEnd] == ByteScan.carriageReturn, lineStart < block.upperBound, bytes[lineStart] == ByteScan.lineFeed {
                lineStart += 1
            }
        }
        return found
    }
}
