/// One Socket.IO v5 packet (the protocol of Socket.IO 3 and 4), carried in an Engine.IO message:
/// `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`
/// (https://github.com/socketio/socket.io-protocol, "Packet encoding").
public struct SocketPacket: Hashable, Sendable {
    public enum Kind: UInt8, Hashable, Sendable {
        case connect = 0, disconnect, event, ack, connectError, binaryEvent, binaryAck
    }

    public var kind: Kind
    /// `/` is the main namespace, which the encoding leaves out.
    public var namespace: String
    public var ackID: Int?
    /// The JSON text after the header: an object for CONNECT and CONNECT_ERROR, an array
    /// (`["event", arg…]`) for EVENT and ACK. Not parsed here.
    public var payload: String
    /// For the binary kinds: how many binary frames follow.
    public var attachments: Int?

    public init(kind: Kind, namespace: String = "/", ackID: Int? = nil, payload: String = "", attachments: Int? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.ackID = ackID
        self.payload = payload
        self.attachments = attachments
    }

    /// An EVENT packet: `payloadJSON` is the array `["name", arg…]` as text.
    public static func event(namespace: String, arrayJSON: String) -> SocketPacket {
        SocketPacket(kind: .event, namespace: namespace, payload: arrayJSON)
    }

    public init(parsing text: String) throws(ProgressWireError) {
        var rest = Substring(text)
        guard let first = rest.first else { throw .emptyPacket }
        guard let digit = first.asciiValue, digit >= UInt8(ascii: "0"), let kind = Kind(rawValue: digit - UInt8(ascii: "0")) else {
            throw .unknownSocketType(first)
        }
        self.kind = kind
        rest = rest.dropFirst()
        if kind == .binaryEvent || kind == .binaryAck {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, rest.dropFirst(digits.count).first == "-", let count = Int(digits) else { throw .badAttachments(String(rest)) }
            attachments = count
            rest = rest.dropFirst(digits.count + 1)
        }
        namespace = "/"
        if rest.first == "/" {
            guard let comma = rest.firstIndex(of: ",") else {
                // A namespace with nothing after it (`40/admin`) is complete without the comma.
                guard !rest.contains(where: { $0 == "{" || $0 == "[" || $0 == "\"" }) else { throw .badNamespace(String(rest)) }
                namespace = String(rest)
                rest = ""
                payload = ""
                return
            }
            namespace = String(rest[..<comma])
            rest = rest[rest.index(after: comma)...]
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            ackID = Int(digits)
            rest = rest.dropFirst(digits.count)
        }
        if let start = rest.first, start != "{", start != "[" {
            throw .payloadNotJSON(String(rest))
        }
        payload = String(rest)
    }

    public var text: String {
        var text = String(kind.rawValue)
        if let attachments { text += "\(attachments)-" }
        if namespace != "/" { text += namespace + "," }
        if let ackID { text += String(ackID) }
        return text + payload
    }
}
