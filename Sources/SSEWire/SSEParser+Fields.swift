extension SSEParser {
    /// Appends part of a field's value. A `data` value goes straight into the data buffer, so a
    /// 30 MB base64 line is copied once, however many chunks it arrives in.
    mutating func appendValue(_ bytes: UnsafeBufferPointer<UInt8>, of field: Field) {
        switch field {
        case .data:
            guard dataBuffer.count + bytes.count <= limits.maxEventBytes else { return overflowBlock() }
            if bytes.count == 1 {
                dataBuffer.append(bytes[0]) // the common case of a stream fed byte by byte
            } else {
                dataBuffer.append(bytes)
            }
        case .event, .id, .retry:
            guard fieldValue.count + bytes.count <= limits.maxEventBytes else { return overflowBlock() }
            fieldValue.append(contentsOf: bytes)
        }
    }

    /// Processes the line that ends at `offset` (a CR or LF, not yet consumed).
    mutating func endLine(atOffset offset: Int, onEvent: (SSEEvent) -> Void) {
        switch line {
        case .start:
            dispatch(atOffset: offset, onEvent: onEvent)
            return
        case .name:
            // A line without a colon: the whole line is the name and the value is empty.
            if let field = Field(name: fieldName) { applyField(field) }
        case .afterColon(let field), .value(let field):
            applyField(field)
        case .ignored:
            break
        }
        fieldValue.removeAll(keepingCapacity: fieldValue.count <= 4096)
        line = .start
    }

    private mutating func applyField(_ field: Field) {
        switch field {
        case .data:
            // Empty data lines grow the buffer too, one LF each. The last LF is removed at
            // dispatch, so the buffer may hold one byte more than the limit.
            guard dataBuffer.count <= limits.maxEventBytes else { return overflowBlock() }
            dataBuffer.append(ASCII.lineFeed)
        case .event:
            eventTypeBuffer = fieldValue
        case .id:
            if !fieldValue.contains(ASCII.null) {
                lastEventIDBuffer = fieldValue
                lastEventIDBufferChanged = true
            }
        case .retry:
            if let milliseconds = Self.reconnectionTime(fromDigits: fieldValue) {
                reconnectionTime = milliseconds
                retrySinceLastEvent = milliseconds
            }
        }
    }

    /// WHATWG applies `retry` only when the value is all ASCII digits. An empty value is
    /// ignored, as browsers do; a value past `Int.max` saturates.
    static func reconnectionTime(fromDigits digits: [UInt8]) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= ASCII.zero, digit <= ASCII.nine else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit - ASCII.zero))
            value = overflowA || overflowB ? Int.max : sum
        }
        return value
    }

    /// The blank line at `offset` ends the block: dispatch its event, if it has data.
    mutating func dispatch(atOffset offset: Int, onEvent: (SSEEvent) -> Void) {
        if lastEventIDBufferChanged {
            lastEventID = String(decoding: lastEventIDBuffer, as: UTF8.self)
            lastEventIDBufferChanged = false
        }
        defer {
            eventTypeBuffer.removeAll(keepingCapacity: true)
            dataBuffer.removeAll()
            blockStart = nil
            blockOverflowed = false
        }
        if blockOverflowed {
            oversizedEventsDropped += 1
            return
        }
        guard !dataBuffer.isEmpty else { return }
        let dataLength = dataBuffer.count - 1 // the final LF is removed
        bytesExamined += dataLength
        let event = SSEEvent(
            eventField: String(decoding: eventTypeBuffer, as: UTF8.self),
            data: dataBuffer.makeString(length: dataLength),
            lastEventID: lastEventID,
            retry: retrySinceLastEvent,
            byteRange: (blockStart ?? offset)...offset
        )
        retrySinceLastEvent = nil
        onEvent(event)
    }

    /// The block is too large to keep: drop what it buffered and ignore it up to its blank line.
    mutating func overflowBlock() {
        blockOverflowed = true
        dataBuffer.release()
        fieldValue = []
        line = .ignored
    }
}
