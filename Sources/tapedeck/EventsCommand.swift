import ArgumentParser
import SSEWire

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the events of an event stream, one JSON object per line, as they complete.",
        discussion: """
        Reads an event stream (text/event-stream) from FILE, or from standard input, and parses it \
        exactly as WHATWG's "interpreting an event stream" says a browser does. Each event is \
        printed as soon as its blank line arrives, so a live stream that never ends still shows \
        its events:

          {"event":"image_generation.partial_image","data":"{...}","id":""}

        Keys: `event` (the type: the `event` field, or `message`), `data`, `id` (the last event \
        ID at dispatch), and `retry` (milliseconds) when a `retry` field was applied since the \
        previous event. With --offsets, `offsets` gives the first and last byte of the event in \
        the stream.

        A stream that ends without the blank line that closes its last event loses that \
        event, as in a browser; standard error then says "stream ended mid-event" with the \
        byte range lost. Exit 0 when the input was read, whatever it held (binary junk \
        yields whatever events the rules yield); 2 when it could not be read.

        Examples:
          tapedeck events Cassettes/streams/images-generate-partial-2.sse
          curl -sN "$BASE_URL/images/generations" -H "Authorization: Bearer $KEY" \\
            -H 'Content-Type: application/json' -d @request.json | tapedeck events
        """
    )

    @Argument(help: ArgumentHelp("The stream to read; standard input when absent or '-'.", valueName: "file"))
    var file: String?

    @Option(help: "Discard (and report) any event that buffers more bytes than this.")
    var maxEventBytes: Int = SSEParser.Limits.default.maxEventBytes

    @Flag(help: "Add each event's byte range in the stream, as \"offsets\":[first,last].")
    var offsets = false

    func validate() throws {
        guard maxEventBytes > 0 else { throw ValidationError("--max-event-bytes must be at least 1.") }
    }

    func run() throws {
        var reader: ChunkReader
        do {
            reader = try ChunkReader(path: file)
        } catch {
            printError("tapedeck events: \(error)")
            throw ExitStatus.harnessFailure
        }
        var parser = SSEParser(limits: .init(maxEventBytes: maxEventBytes))
        var output = DescriptorWriter()
        let withOffsets = offsets
        let outcome: ChunkReader.ReadOutcome
        do {
            outcome = try reader.forEachChunk { chunk throws(OutputClosed) in
                var closed: OutputClosed?
                parser.feed(chunk) { event in
                    guard closed == nil else { return }
                    do throws(OutputClosed) {
                        try Self.writeLine(for: event, withOffsets: withOffsets, to: &output)
                    } catch {
                        closed = error
                    }
                }
                if let closed { throw closed }
                // Each event is out as soon as its chunk is read: a live stream shows events as they complete.
                try output.flush()
            }
        } catch {
            printError("tapedeck events: \(error)")
            throw ExitStatus.harnessFailure
        }
        guard outcome == .endOfInput else { return }
        if parser.oversizedEventsDropped > 0 {
            printError("tapedeck events: \(parser.oversizedEventsDropped) event(s) larger than --max-event-bytes \(maxEventBytes) were discarded")
        }
        if case .midEvent(let block) = parser.finish() {
            printError(Self.describe(block))
        }
    }

    static func writeLine(for event: SSEEvent, withOffsets: Bool, to output: inout DescriptorWriter) throws(OutputClosed) {
        try output.append(0x7B) // {
        try JSONText.writeKey("event", to: &output)
        try JSONText.writeString(event.type, to: &output)
        try output.append(0x2C)
        try JSONText.writeKey("data", to: &output)
        try JSONText.writeString(event.data, to: &output)
        try output.append(0x2C)
        try JSONText.writeKey("id", to: &output)
        try JSONText.writeString(event.lastEventID, to: &output)
        if let retry = event.retry {
            try output.append(0x2C)
            try JSONText.writeKey("retry", to: &output)
            try JSONText.writeInteger(retry, to: &output)
        }
        if withOffsets {
            try output.append(0x2C)
            try JSONText.writeKey("offsets", to: &output)
            try output.append(0x5B)
            try JSONText.writeInteger(event.byteRange.lowerBound, to: &output)
            try output.append(0x2C)
            try JSONText.writeInteger(event.byteRange.upperBound, to: &output)
            try output.append(0x5D)
        }
        try output.append(contentsOf: [0x7D, 0x0A]) // }\n
    }

    static func describe(_ block: SSEUnterminatedBlock) -> String {
        let range = "bytes \(block.byteRange.lowerBound)–\(block.byteRange.upperBound)"
        return block.heldData
            ? "tapedeck events: stream ended mid-event: the event at \(range) has no closing blank line and was discarded"
            : "tapedeck events: stream ended without a closing blank line after \(range) (no data was pending)"
    }
}
