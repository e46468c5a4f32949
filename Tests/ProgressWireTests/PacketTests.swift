import ProgressWire
import Testing

/// Engine.IO v4 and Socket.IO v5 packets, as the protocols' own examples write them.
@Suite("Progress wire: Engine.IO and Socket.IO packets")
struct PacketTests {
    @Test("Engine.IO packets parse and print back unchanged", arguments: [
        ("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", EnginePacket.open("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}")),
        ("1", .close), ("2", .ping("")), ("2probe", .ping("probe")), ("3", .pong("")), ("3probe", .pong("probe")),
        ("4hello", .message("hello")), ("5", .upgrade), ("6", .noop),
    ])
    func engine(_ text: String, _ packet: EnginePacket) throws {
        #expect(try EnginePacket(parsing: text) == packet)
        #expect(packet.text == text)
    }

    @Test("Malformed Engine.IO packets say what is wrong", arguments: [
        ("", ProgressWireError.emptyPacket), ("7", .unknownEngineType("7")), ("x", .unknownEngineType("x")), ("0sid", .badOpen("sid")),
    ])
    func engineErrors(_ text: String, _ error: ProgressWireError) {
        #expect(throws: error) { try EnginePacket(parsing: text) }
    }

    @Test("Socket.IO packets parse and print back unchanged", arguments: [
        ("0", SocketPacket(kind: .connect)),
        ("0/admin,", SocketPacket(kind: .connect, namespace: "/admin")),
        ("0/image-progress,{\"token\":\"123\"}", SocketPacket(kind: .connect, namespace: "/image-progress", payload: "{\"token\":\"123\"}")),
        ("1/admin,", SocketPacket(kind: .disconnect, namespace: "/admin")),
        ("2[\"foo\"]", SocketPacket(kind: .event, payload: "[\"foo\"]")),
        ("2/image-progress,[\"progress\",{\"job_id\":\"j\",\"progress\":10}]", .event(namespace: "/image-progress", arrayJSON: "[\"progress\",{\"job_id\":\"j\",\"progress\":10}]")),
        ("2/admin,456[\"project:delete\",123]", SocketPacket(kind: .event, namespace: "/admin", ackID: 456, payload: "[\"project:delete\",123]")),
        ("3/admin,456[]", SocketPacket(kind: .ack, namespace: "/admin", ackID: 456, payload: "[]")),
        ("4{\"message\":\"Not authorized\"}", SocketPacket(kind: .connectError, payload: "{\"message\":\"Not authorized\"}")),
        ("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", SocketPacket(kind: .binaryEvent, payload: "[\"baz\",{\"_placeholder\":true,\"num\":0}]", attachments: 1)),
    ])
    func socket(_ text: String, _ packet: SocketPacket) throws {
        #expect(try SocketPacket(parsing: text) == packet)
        #expect(packet.text == text)
    }

    @Test("Namespace connect without the comma, as some clients write it")
    func bareNamespace() throws {
        #expect(try SocketPacket(parsing: "0/admin") == SocketPacket(kind: .connect, namespace: "/admin"))
    }

    @Test("Malformed Socket.IO packets say what is wrong", arguments: [
        ("", ProgressWireError.emptyPacket), ("9", .unknownSocketType("9")), ("5[\"x\"]", .badAttachments("[\"x\"]")),
        ("2/image-progress[\"x\"]", .badNamespace("/image-progress[\"x\"]")), ("2progress", .payloadNotJSON("progress")),
    ])
    func socketErrors(_ text: String, _ error: ProgressWireError) {
        #expect(throws: error) { try SocketPacket(parsing: text) }
    }
}
