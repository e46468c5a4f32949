import SSEWire
import TestKit
import Testing

/// Realistic image streams, built the way OpenAI and the gateways that copy it send them,
/// with the wire variations clients meet: BOMs, CRLF and CR line ends, heartbeats, ids,
/// multi-byte text, invalid bytes, truncation.
enum ImageStreamCorpus {
    struct Stream: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static let all: [Stream] = [
        imagesGenerate, imagesEditCRLFWithBOMAndHeartbeats, responsesWithDone,
        gatewayCarriageReturnsWithIDs, truncatedMidEvent, invalidUTF8InData,
    ]

    /// `POST /v1/images/generations` with `partial_images: 2`, as OpenAI sends it.
    static let imagesGenerate = Stream(name: "images.generate, LF", bytes: lines([
        "event: image_generation.partial_image",
        #"data: {"type":"image_generation.partial_image","b64_json":"\#(payload(seed: 1, bytes: 3000))","created_at":1750000000,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png","partial_image_index":0}"#,
        "",
        "event: image_generation.partial_image",
        #"data: {"type":"image_generation.partial_image","b64_json":"\#(payload(seed: 2, bytes: 3000))","created_at":1750000001,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png","partial_image_index":1}"#,
        "",
        "event: image_generation.completed",
        #"data: {"type":"image_generation.completed","b64_json":"\#(payload(seed: 3, bytes: 4000))","created_at":1750000002,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png","usage":{"input_tokens":50,"input_tokens_details":{"image_tokens":0,"text_tokens":50},"output_tokens":272,"total_tokens":322}}"#,
        "",
    ], ending: "\n"))

    /// `POST /v1/images/edits` through a proxy that adds a BOM, CRLF line ends and heartbeats.
    static let imagesEditCRLFWithBOMAndHeartbeats = Stream(name: "images.edit, BOM + CRLF + heartbeats", bytes: [0xEF, 0xBB, 0xBF] + lines([
        ": keep-alive",
        "",
        "event: image_edit.partial_image",
        #"data: {"type":"image_edit.partial_image","b64_json":"\#(payload(seed: 4, bytes: 2000))","partial_image_index":0,"output_format":"webp"}"#,
        "",
        ":",
        "event: image_edit.completed",
        #"data: {"type":"image_edit.completed","b64_json":"\#(payload(seed: 5, bytes: 2500))","output_format":"webp"}"#,
        "",
    ], ending: "\r\n"))

    /// The Responses API with the `image_generation` tool, multi-byte text, and `[DONE]`.
    static let responsesWithDone = Stream(name: "responses, UTF-8 + [DONE]", bytes: lines([
        "event: response.created",
        #"data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress"}}"#,
        "",
        "event: response.image_generation_call.partial_image",
        #"data: {"type":"response.image_generation_call.partial_image","item_id":"ig_1","output_index":0,"partial_image_index":0,"partial_image_b64":"\#(payload(seed: 6, bytes: 2000))","sequence_number":3}"#,
        "",
        "event: response.output_item.done",
        #"data: {"type":"response.output_item.done","item":{"type":"image_generation_call","id":"ig_1","status":"completed","revised_prompt":"Ein Kätzchen — 猫 🐈 on a windowsill","result":"\#(payload(seed: 7, bytes: 1500))"}}"#,
        "",
        "data: [DONE]",
        "",
    ], ending: "\n"))

    /// A gateway with CR line ends, ids, a retry hint and data over several lines.
    static let gatewayCarriageReturnsWithIDs = Stream(name: "gateway, CR + id + retry + multi-line data", bytes: lines([
        "retry: 1500",
        "id: 1",
        #"data: {"type":"image_generation.partial_image","#,
        #"data:"b64_json":"\#(payload(seed: 8, bytes: 1200))","partial_image_index":0}"#,
        "",
        "id:",
        #"data: {"type":"image_generation.completed","b64_json":"\#(payload(seed: 9, bytes: 1200))"}"#,
        "",
    ], ending: "\r"))

    /// A stream cut off before the final image's blank line.
    static let truncatedMidEvent = Stream(name: "truncated before the final blank line", bytes: Array(imagesGenerate.bytes.dropLast(1500)))

    /// Invalid UTF-8 inside a value, which readers turn into U+FFFD.
    static let invalidUTF8InData = Stream(name: "invalid UTF-8 in data", bytes: Array("data: caf".utf8) + [0xC3] + Array(" \u{00E9}\ndata: ".utf8) + [0xE2, 0x82] + Array("\ndata: end\n\n".utf8))

    static func lines(_ lines: [String], ending: String) -> [UInt8] {
        Array(lines.map { $0 + ending }.joined().utf8)
    }

    /// Base64 of `bytes` pseudo-random bytes, as a stand-in for an image payload.
    static func payload(seed: UInt64, bytes: Int) -> String {
        var generator = SeededRandom(seed: seed)
        return Base64.encode((0..<bytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            output.append(alphabet[Int(triple >> 18 & 63)])
            output.append(alphabet[Int(triple >> 12 & 63)])
            output.append(remaining > 1 ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
