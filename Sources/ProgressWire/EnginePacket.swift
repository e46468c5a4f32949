/// One Engine.IO v4 packet as carried in a WebSocket text frame: a one-digit type, then its
/// data (https://github.com/socketio/engine.io-protocol, "Protocol", v4).
///
/// Written by hand: the format is a digit and a string, and the exact text matters (a
/// validator must say which byte is wrong, and a fault must send exactly the broken one).
public enum EnginePacket: Hashable, Sendable {
    /// `0{…}`: the handshake (sid, upgrades, pingInterval, pingTimeout, maxPayload), as JSON text.
    case open(String)
    /// `1`
    case close
    /// `2`, with an optional probe payload.
    case ping(String)
    /// `3`, echoing the ping's payload.
    case pong(String)
    /// `4…`: a message; Socket.IO packets travel in these.
    case message(String)
    /// `5`
    case upgrade
    /// `6`
    case noop

    public init(parsing text: String) throws(ProgressWireError) {
        guard let first = text.utf8.first else { throw .emptyPacket }
        let rest = String(text.dropFirst())
        switch first {
        case UInt8(ascii: "0"):
            guard rest.hasPrefix("{") else { throw .badOpen(rest) }
            self = .open(rest)
        case UInt8(ascii: "1"): self = .close
        case UInt8(ascii: "2"): self = .ping(rest)
        case UInt8(ascii: "3"): self = .pong(rest)
        case UInt8(ascii: "4"): self = .message(rest)
        case UInt8(ascii: "5"): self = .upgrade
        case UInt8(ascii: "6"): self = .noop
        default: throw .unknownEngineType(Character(Unicode.Scalar(first)))
        }
    }

    public var text: String {
        switch self {
        case .open(let handshake): "0" + handshake
        case .close: "1"
        case .ping(let probe): "2" + probe
        case .pong(let probe): "3" + probe
        case .message(let data): "4" + data
        case .upgrade: "5"
        case .noop: "6"
        }
    }
}

/// Why a frame is not a well-formed Engine.IO or Socket.IO packet.
public enum ProgressWireError: Error, Hashable, Sendable, CustomStringConvertible {
    case emptyPacket
    case unknownEngineType(Character)
    case badOpen(String)
    case unknownSocketType(Character)
    case badAttachments(String)
    case badNamespace(String)
    case payloadNotJSON(String)

    public var description: String {
        switch self {
        case .emptyPacket: "an empty frame is no Engine.IO packet"
        case .unknownEngineType(let type): "Engine.IO packet type \(type) does not exist (0 open … 6 noop)"
        case .badOpen(let rest): "an open packet carries a JSON object, not \(Self.excerpt(rest))"
        case .unknownSocketType(let type): "Socket.IO packet type \(type) does not exist (0 CONNECT … 6 BINARY_ACK)"
        case .badAttachments(let rest): "a binary packet's attachment count must be digits then `-`: \(Self.excerpt(rest))"
        case .badNamespace(let rest): "a namespace starts with `/` and ends at `,`: \(Self.excerpt(rest))"
        case .payloadNotJSON(let rest): "the payload must start a JSON object or array: \(Self.excerpt(rest))"
        }
    }

    public static func excerpt(_ text: String) -> String {
        text.count <= 60 ? "`\(text)`" : "`\(text.prefix(60))…` (\(text.utf8.count) bytes)"
    }
}
