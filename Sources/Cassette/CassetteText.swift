import SSEWire

/// A cassette rendered for a terminal: what was asked, what came back, when each chunk
/// arrived, and the events, with base64 payloads and long values cut short.
public enum CassetteText {
    /// How many chunks or events are shown at each end of a long list.
    static let shownAtEachEnd = 10
    /// The shortest base64 run a preview elides.
    static let elidedRunLength = 100

    /// The cassette as text, no line wider than `width` characters.
    public static func show(_ cassette: Cassette, width: Int = 100) -> String {
        let width = max(width, 40)
        var lines: [String] = []
        // The header line; the provenance goes on a line of its own when both do not fit.
        let title = "\(cassette.name) · \(cassette.surface) · \(cassette.dialect)"
        let origin = provenance(cassette.provenance, width: width)
        if title.count + 3 + origin.count <= width {
            lines.append("\(title) · \(origin)")
        } else {
            lines += [title, "  \(origin)"]
        }
        lines.append("")
        lines += request(cassette.request, width: width)
        lines.append("")
        lines += response(cassette.response, width: width)
        lines.append("")
        lines += timeline(cassette.response)
        let body = cassette.isEventStream ? events(cassette.response, width: width) : bodyPreview(cassette.response, width: width)
        if !body.isEmpty {
            lines.append("")
            lines += body
        }
        return lines.map { fit($0, width: width) }.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    static func provenance(_ provenance: Provenance, width: Int) -> String {
        switch provenance {
        case .recorded(let host, let at, let tool):
            "recorded from \(host) at \(at) by \(tool)"
        case .synthesized(let tool, let parameters):
            "synthesized by \(tool) from \(elide(parameters, limit: width / 2))"
        case .imported(let format, let file, let host, let at, let tool):
            "imported from \(format) file \(file) (\(host)\(at.map { " at \($0)" } ?? "")) by \(tool); chunk boundaries unknown"
        }
    }

    static func request(_ request: RecordedRequest, width: Int) -> [String] {
        var lines = ["request  \(request.method) \(request.path)"]
        let valueLimit = max(width - 30, 20)
        for header in request.headers {
            lines.append("  \(header.name): \(elide(header.value, limit: valueLimit))")
        }
        switch request.body {
        case .none:
            lines.append("  no body")
        case .json(let text):
            guard let members = (try? JSON.parse(text))?.members else {
                lines.append("  body (JSON as sent, \(byteSize(text.utf8.count)), not a JSON object): \(elide(text, limit: valueLimit))")
                break
            }
            lines.append("  body (JSON, \(byteSize(text.utf8.count))):")
            for member in members {
                lines.append("    \(member.key): \(elide(member.value.canonicalText, limit: valueLimit))")
            }
        case .form(let fields, let files):
            lines.append("  body (multipart form, \(counted(fields.count, "field")), \(counted(files.count, "file"))):")
            for field in fields {
                lines.append("    \(field.name): \(elide(field.value, limit: valueLimit))")
            }
            for file in files {
                lines.append("    \(file.name) (file): \(file.filename), \(file.contentType), \(byteSize(file.size)), sha256 \(file.sha256.prefix(12))…")
            }
        }
        return lines
    }

    static func response(_ response: RecordedResponse, width: Int) -> [String] {
        let recording = response.recording
        var summary = "response  \(response.status) · \(response.ending.rawValue) · \(grouped(recording.bytes.count)) bytes in \(counted(recording.chunkEnds.count, "chunk"))"
        if let last = response.chunkTimes.last { summary += " over \(milliseconds(last)) ms" }
        var lines = [summary]
        for header in response.headers {
            lines.append("  \(header.name): \(elide(header.value, limit: max(width - 30, 20)))")
        }
        return lines
    }

    static func timeline(_ response: RecordedResponse) -> [String] {
        let recording = response.recording
        let count = recording.chunkEnds.count
        guard count > 0 else { return ["timeline  no chunks"] }
        var lines = ["timeline  \(counted(count, "chunk"))", "  \(pad("ms", 12))  \(pad("length", 11))  \(pad("offset", 13))"]
        func row(_ index: Int) -> String {
            let start = index == 0 ? 0 : recording.chunkEnds[index - 1]
            let time = index < response.chunkTimes.count ? milliseconds(response.chunkTimes[index]) : "?"
            return "  \(pad(time, 12))  \(pad(grouped(recording.chunkEnds[index] - start), 11))  \(pad(grouped(start), 13))"
        }
        for index in shown(count) {
            if let index { lines.append(row(index)) } else { lines.append("  … \(counted(count - 2 * shownAtEachEnd, "chunk")) …") }
        }
        return lines
    }

    static func events(_ response: RecordedResponse, width: Int) -> [String] {
        let (events, end) = response.eventSummaries()
        var lines = ["events  \(events.count)"]
        for index in shown(events.count) {
            guard let index else {
                lines.append("  … \(counted(events.count - 2 * shownAtEachEnd, "event")) …")
                continue
            }
            let summary = events[index]
            let range = "\(grouped(summary.byteRange.lowerBound))..<\(grouped(summary.byteRange.upperBound))"
            lines.append("  #\(summary.index)  \(summary.type)  bytes \(range)  data \(byteSize(summary.event.data.utf8.count))")
            lines.append("      \(preview(summary.event.data, limit: width))")
        }
        if case .midEvent(let block) = end {
            let range = "\(grouped(block.byteRange.lowerBound))...\(grouped(block.byteRange.upperBound))"
            lines.append("  the stream ended mid-event: bytes \(range) have no blank line after them\(block.heldData ? " and their data was never dispatched" : "")")
        }
        return lines
    }

    static func bodyPreview(_ response: RecordedResponse, width: Int) -> [String] {
        let bytes = response.recording.bytes
        guard !bytes.isEmpty else { return ["body  empty"] }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return ["body  \(byteSize(bytes.count)), not UTF-8 text"]
        }
        var lines = ["body  \(byteSize(bytes.count)), not an event stream"]
        let shortened = preview(text, limit: width * 8, keepingLines: true)
        let bodyLines = shortened.split(separator: "\n", omittingEmptySubsequences: false)
        for line in bodyLines.prefix(8) { lines.append("  \(line)") }
        if bodyLines.count > 8 { lines.append("  … \(counted(bodyLines.count - 8, "more line"))") }
        return lines
    }

    // MARK: Pieces

    /// Indices to show of `count` items: all of a short list; else the first and last
    /// `shownAtEachEnd`, with nil standing for those between.
    static func shown(_ count: Int) -> [Int?] {
        guard count > 2 * shownAtEachEnd + 5 else { return Array(0..<count) }
        return Array(0..<shownAtEachEnd) + [nil] + Array((count - shownAtEachEnd)..<count)
    }

    /// Text with each base64 run of 100 characters or more cut to its first eight and its size,
    /// as in `"b64_json":"iVBORw0K…(1.2 MB)"`; control characters are shown as escapes unless
    /// `keepingLines` keeps line feeds. Stops after about `limit` characters of output.
    static func preview(_ text: String, limit: Int, keepingLines: Bool = false) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(min(bytes.count, limit + 64))
            BodyLayout.isBase64Table.withUnsafeBufferPointer { isBase64 in
                var index = 0
                while index < bytes.count, output.count <= limit {
                    let byte = bytes[index]
                    if isBase64[Int(byte)] {
                        let start = index
                        while index < bytes.count, isBase64[Int(bytes[index])] { index += 1 }
                        if index - start >= elidedRunLength {
                            output.append(contentsOf: bytes[start..<(start + 8)])
                            output.append(contentsOf: "…(\(byteSize(index - start)))".utf8)
                        } else {
                            output.append(contentsOf: bytes[start..<index])
                        }
                        continue
                    }
                    switch byte {
                    case 0x0A where keepingLines: output.append(byte)
                    case 0x0A: output.append(contentsOf: "\\n".utf8)
                    case 0x0D: output.append(contentsOf: "\\r".utf8)
                    case 0x09: output.append(contentsOf: "\\t".utf8)
                    case ..<0x20: output.append(contentsOf: "\\u{\(String(byte, radix: 16))}".utf8)
                    default: output.append(byte)
                    }
                    index += 1
                }
                if index < bytes.count { output.append(contentsOf: "…".utf8) }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The value itself when short; else its start, elided, and its length.
    static func elide(_ value: String, limit: Int) -> String {
        let shortened = preview(value, limit: limit * 2)
        guard shortened.count > limit else { return shortened }
        return "\(shortened.prefix(max(limit - 20, 8)))…(\(grouped(value.count)) chars)"
    }

    static func fit(_ line: String, width: Int) -> String {
        line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func counted(_ count: Int, _ noun: String) -> String {
        "\(grouped(count)) \(noun)\(count == 1 ? "" : "s")"
    }

    /// 1234567 as "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// A size in bytes, in decimal units with one decimal place: "512 B", "64.0 kB", "1.2 MB".
    static func byteSize(_ count: Int) -> String {
        func tenths(_ divisor: Int) -> String {
            let scaled = (count * 10 + divisor / 2) / divisor
            return "\(scaled / 10).\(scaled % 10)"
        }
        if count < 1000 { return "\(count) B" }
        if count < 999_950 { return "\(tenths(1000)) kB" }
        if count < 999_950_000 { return "\(tenths(1_000_000)) MB" }
        return "\(tenths(1_000_000_000)) GB"
    }

    /// A duration in milliseconds with three decimals: "12.345".
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = duration.wholeMicroseconds
        let fraction = String(microseconds.magnitude % 1000)
        return "\(microseconds < 0 ? "-" : "")\(grouped(Int(microseconds.magnitude / 1000))).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
