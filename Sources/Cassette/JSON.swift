/// A JSON value as written: object members keep their order and numbers keep their digits, so
/// a value read and written again differs only where the writer chooses (key order, spacing).
///
/// Cassettes are read and written by hand-made code rather than Foundation's coders because
/// the layout is part of the format: keys sorted, one chunk or header or event per line, and a
/// body text that can run to megabytes handed on without being re-encoded twice.
indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, as it appeared.
    case number(String)
    case string(String)
    case array([JSON])
    case object([(key: String, value: JSON)])

    static func integer(_ value: some BinaryInteger) -> JSON { .number(String(value)) }

    subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as an integer, when it is a number written without fraction or exponent.
    var integer: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    var array: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var members: [(key: String, value: JSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// The JSON type's name, as error messages say it.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

// MARK: - Reading

/// Where JSON text stopped making sense.
struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    var reason: String
    var line: Int
    var column: Int

    var description: String { "line \(line), column \(column): \(reason)" }
}

extension JSON {
    /// Parses one JSON text (RFC 8259). Nesting deeper than 512 levels is an error, not a crash.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSON {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.readValue()
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON {
        let result: Result<JSON, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONSyntaxError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
        var text = text
        let result: Result<JSON, JSONSyntaxError> = text.withUTF8 { buffer in
            do throws(JSONSyntaxError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for position in 0..<offset where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return JSONSyntaxError(reason: reason, line: line, column: offset - lineStart + 1)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func describeByte(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the text" }
        let byte = bytes[offset]
        if byte >= 0x21, byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func readValue() throws(JSONSyntaxError) -> JSON {
        guard index < bytes.count else { throw error("expected a value, found the end of the text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("expected a value, found \(describeByte(at: index))")
        }
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
    }

    mutating func readObject() throws(JSONSyntaxError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [(key: String, value: JSON)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a member name in quotes, found \(describeByte(at: index))")
            }
            let key = try readString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected `:` after member name \"\(key)\", found \(describeByte(at: index))")
            }
            index += 1
            skipWhitespace()
            members.append((key, try readValue()))
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object: expected `,` or `}`") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected `,` or `}` in an object, found \(describeByte(at: index))")
            }
        }
    }

    mutating func readArray() throws(JSONSyntaxError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [JSON] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try readValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array: expected `,` or `]`") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw error("expected `,` or `]` in an array, found \(describeByte(at: index))")
            }
        }
    }

    mutating func readLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard index + count <= bytes.count, bytes[index..<(index + count)].elementsEqual(expected) else {
            throw error("expected `\(literal)`")
        }
        index += count
    }

    mutating func readNumber() throws(JSONSyntaxError) -> String {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let first = reader.index
            while reader.index < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.index]) {
                reader.index += 1
            }
            return reader.index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw error("expected a digit in a number, found \(describeByte(at: index))")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            _ = digits(&self)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw error("expected a digit after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("expected a digit in the exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Reads a string from its opening quote. Runs without escapes are validated and copied
    /// once, straight from the input.
    mutating func readString() throws(JSONSyntaxError) -> String {
        let open = index
        index += 1
        var runStart = index
        var unescaped: [UInt8]?
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: open) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 {
                throw error("control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string must be escaped")
            }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if unescaped == nil { unescaped = [] }
            unescaped!.append(contentsOf: bytes[runStart..<index])
            try readEscape(into: &unescaped!)
            runStart = index
        }
        let tail = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
        index += 1
        let text: String?
        if var collected = unescaped {
            collected.append(contentsOf: tail)
            text = String(validating: collected, as: UTF8.self)
        } else {
            text = String(validating: tail, as: UTF8.self)
        }
        guard let text else { throw error("a string holds bytes that are not UTF-8", at: open) }
        return text
    }

    mutating func readEscape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw error("unterminated escape", at: start) }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): output.append(0x22)
        case UInt8(ascii: "\\"): output.append(0x5C)
        case UInt8(ascii: "/"): output.append(0x2F)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var value = try readHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(value) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("a high surrogate escape must be followed by a low surrogate escape", at: start)
                }
                index += 2
                let low = try readHex4(escapeStart: start)
                guard (0xDC00...0xDFFF).contains(low) else { throw error("a high surrogate escape must be followed by a low surrogate escape", at: start) }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(value) {
                throw error("a low surrogate escape without a high one before it", at: start)
            }
            output.append(contentsOf: UTF8.encode(Unicode.Scalar(value)!)!)
        default:
            throw error("unknown escape `\\\(Character(Unicode.Scalar(letter)))`", at: start)
        }
    }

    mutating func readHex4(escapeStart: Int) throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("`\\u` needs four hex digits", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("`\\u` needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

// MARK: - Writing

extension JSON {
    /// One line, no spaces, keys sorted: the canonical text of a value.
    var canonicalText: String {
        var writer = JSONWriter()
        writer.writeInline(self, spaced: false)
        return String(decoding: writer.output, as: UTF8.self)
    }

    /// The layout of a cassette file: two-space indents and sorted keys; an array of scalars,
    /// and each element of an array that holds only scalars and arrays of scalars, on one
    /// line. So a chunk, a header or an event is one line, and a diff shows which.
    var prettyText: [UInt8] {
        var writer = JSONWriter()
        writer.writePretty(self, indent: 0)
        writer.output.append(0x0A)
        return writer.output
    }
}

private struct JSONWriter {
    var output: [UInt8] = []

    static func sorted(_ members: [(key: String, value: JSON)]) -> [(key: String, value: JSON)] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Holds only scalars, or arrays of scalars: small enough to read on one line.
    static func isFlat(_ value: JSON) -> Bool {
        switch value {
        case .array(let items): items.allSatisfy { $0.isScalar || ($0.array?.allSatisfy(\.isScalar) ?? false) }
        case .object(let members): members.allSatisfy { $0.value.isScalar || ($0.value.array?.allSatisfy(\.isScalar) ?? false) }
        default: true
        }
    }

    mutating func newline(_ indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(0x20, count: indent))
    }

    mutating func writePretty(_ value: JSON, indent: Int) {
        switch value {
        case .array(let items) where !items.isEmpty && !items.allSatisfy(\.isScalar):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                if Self.isFlat(item) {
                    writeInline(item, spaced: true)
                } else {
                    writePretty(item, indent: indent + 2)
                }
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            output.append(UInt8(ascii: "{"))
            for (position, member) in Self.sorted(members).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                writeString(member.key)
                output.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                writePretty(member.value, indent: indent + 2)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        default:
            writeInline(value, spaced: true)
        }
    }

    mutating func writeInline(_ value: JSON, spaced: Bool) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): writeString(text)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 {
                    output.append(UInt8(ascii: ","))
                    if spaced { output.append(0x20) }
                }
                writeInline(item, spaced: spaced)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, member) in Self.sorted(members).enumerated() {
                if position > 0 {
                    output.append(UInt8(ascii: ","))
                    if spaced { output.append(0x20) }
                }
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                if spaced { output.append(0x20) }
                writeInline(member.value, spaced: spaced)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes only what JSON requires: the quote, the backslash and control characters.
    mutating func writeString(_ text: String) {
        var text = text
        output.append(0x22)
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: [0x5C, 0x22])
                case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(0x22)
    }
}

extension JSON: Equatable {
    /// Equal when written the same: same members in the same order, same number literals.
    static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.number(let left), .number(let right)): left == right
        case (.string(let left), .string(let right)): left == right
        case (.array(let left), .array(let right)): left == right
        case (.object(let left), .object(let right)): left.elementsEqual(right) { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
