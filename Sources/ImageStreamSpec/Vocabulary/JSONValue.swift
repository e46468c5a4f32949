import Foundation

/// A JSON value as it arrived, so checks can report a wrong type instead of failing to decode.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 9e15: Int(value)
        default: nil
        }
    }

    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    public var object: [String: JSONValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// Whether this body is an API error (`{"error": {…}}`), not an answer. A Response carries
    /// `"error": null` when it succeeded, and is a Response (`"object": "response"`) even when
    /// it failed, so only a non-null `error` outside a Response makes an error body.
    public var isErrorBody: Bool {
        guard let error = self["error"], error != .null else { return false }
        return self["object"]?.string != "response"
    }

    /// The JSON type's name, as messages say it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Parses JSON text. Nesting deeper than the parser allows is an error, not a crash.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let parsed: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { parse(buffer: $0) }
        return try (parsed ?? Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }).get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { parse(buffer: $0) }.get()
    }

    /// Parses in place: a multi-megabyte payload is not copied into a `Data` first.
    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .failure(JSONParseError(reason: "no JSON text: the data is empty")) }
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buffer.count, deallocator: .none)
        do {
            return .success(try JSONDecoder().decode(JSONValue.self, from: data))
        } catch let DecodingError.dataCorrupted(context) {
            return .failure(JSONParseError(reason: context.underlyingError.map { String(describing: $0) } ?? context.debugDescription))
        } catch {
            return .failure(JSONParseError(reason: String(describing: error)))
        }
    }
}

extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            // An array or object holding an undecodable value reports that value, not its container.
            do {
                self = .array(try container.decode([JSONValue].self))
                return
            } catch DecodingError.typeMismatch {}
            do {
                self = .object(try container.decode([String: JSONValue].self))
                return
            } catch DecodingError.typeMismatch {}
            // What no case takes is a number beyond a double's range (a million digits, 1e999).
            let path = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "at \(path.isEmpty ? "the top level" : String(path.drop { $0 == "." })): a number too large for a double")
        }
    }
}

/// Text that is not JSON; says why.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        }
    }
}

/// Messages show a value as the JSON it came from (keys sorted), never as a Swift enum dump.
extension JSONValue: CustomStringConvertible {
    public var description: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return typeName }
        return String(decoding: data, as: UTF8.self)
    }
}
