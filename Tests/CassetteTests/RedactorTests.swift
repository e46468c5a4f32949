import Cassette
import Foundation
import Testing

/// What may be kept of a secret: nothing. What may be lost around it: nothing either.
@Suite("Redaction")
struct RedactorTests {
    @Test("Credential headers lose their value; Authorization keeps its scheme", arguments: [
        ("Authorization", "Bearer sk-abcdefgh12345678", "Bearer [redacted]"),
        ("Proxy-Authorization", "Basic dXNlcjpwYXNz", "Basic [redacted]"),
        ("api-key", "0123456789abcdef", "[redacted]"),
        ("X-Api-Key", "whatever", "[redacted]"),
        ("X-Gateway-Token", "whatever", "[redacted]"),
        ("Cookie", "session=abc", "[redacted]"),
        ("X-Trace", "id sk-proj-abcdefgh123", "id [redacted]"),
        ("Content-Type", "application/json", "application/json"),
    ])
    func headers(name: String, value: String, expected: String) throws {
        #expect(try Redactor().header(name: name, value: value) == expected)
    }

    @Test("Key shapes, Bearer tokens and credential-named JSON members in any text", arguments: [
        (#"{"prompt":"sk-live-0123456789"}"#, #"{"prompt":"[redacted]"}"#),
        ("gateway key aigw_sk_0123456789abcdef refused", "gateway key [redacted] refused"),
        ("header was Bearer abcdefghijklmnopqrstuvwxyz0123", "header was Bearer [redacted]"),
        (#"{"api_key": "k-123", "model": "gpt-image-1"}"#, #"{"api_key": "[redacted]", "model": "gpt-image-1"}"#),
        (#"{"password":"hunter2","user":"ada"}"#, #"{"password":"[redacted]","user":"ada"}"#),
        (#"{"access_token":"abc\"def"}"#, #"{"access_token":"[redacted]"}"#),
        // Counts and ordinary keys stay: usage is data a client must see.
        (#"{"input_tokens":12,"total_tokens":40,"cache_key":"x","key":"y"}"#, #"{"input_tokens":12,"total_tokens":40,"cache_key":"x","key":"[redacted]"}"#),
        ("a short sk-123 is not a key", "a short sk-123 is not a key"),
    ])
    func texts(input: String, expected: String) throws {
        #expect(try Redactor().text(input) == expected)
    }

    @Test("Form fields named like credentials lose their whole value", arguments: [
        ("api_key", "anything at all", "[redacted]"),
        ("secret", "x", "[redacted]"),
        ("prompt", "an otter sk-0123456789ab", "an otter [redacted]"),
        ("max_tokens", "12", "12"),
    ])
    func fields(name: String, value: String, expected: String) throws {
        #expect(try Redactor().field(name: name, value: value) == expected)
    }

    @Test("URLs: the user-info password, key-like query parameters, key shapes", arguments: [
        ("https://x/v1/images?key=abc&size=1", "https://x/v1/images?key=[redacted]&size=1"),
        ("https://ada:hunter2@gw.example/v1", "https://ada:[redacted]@gw.example/v1"),
        ("https://tokenonly@gw.example/v1?a=1", "https://[redacted]@gw.example/v1?a=1"),
        ("https://gw.example/v1?client_secret=s3&api_token=t", "https://gw.example/v1?client_secret=[redacted]&api_token=[redacted]"),
        ("https://gw.example/k/sk-abcdefgh12345678/v1", "https://gw.example/k/[redacted]/v1"),
        ("http://127.0.0.1:8080/v1/images/generations", "http://127.0.0.1:8080/v1/images/generations"),
    ])
    func urls(input: String, expected: String) throws {
        #expect(try Redactor().url(input) == expected)
    }

    @Test("--redact patterns are added; a pattern that is not a regular expression is an error naming it")
    func userPatterns() throws {
        #expect(try Redactor(extraPatterns: ["org-[0-9]+"]).text("team org-42") == "team [redacted]")
        let error = #expect(throws: RedactionError.self) { try Redactor(extraPatterns: ["(unclosed"]) }
        #expect(error?.description.contains("\"(unclosed\"") == true)
    }

    /// A 401 that echoes the refused key, cut by the network inside the key.
    static let echoed = Array(#"data: {"error":{"message":"Incorrect API key provided: sk-proj-abcdef0123456789."}}"#.utf8) + [10, 10]

    @Test("A response body: the secret goes even split across chunks; every other byte and boundary stays")
    func bodyAcrossChunks() throws {
        let bytes = Self.echoed
        let keyStart = bytes.firstRange(of: Array("sk-proj".utf8))!.lowerBound
        let ends = [10, keyStart + 5, keyStart + 12, bytes.count]
        let times: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(3), .milliseconds(4)]
        let redacted = try Redactor().body(bytes, chunkEnds: ends, chunkTimes: times)
        let expected = Array(#"data: {"error":{"message":"Incorrect API key provided: [redacted]."}}"#.utf8) + [10, 10]
        #expect(redacted.bytes == expected)
        // The two chunks that ended inside the key become one, ending after the placeholder,
        // arriving when its last piece did.
        let placeholderEnd = keyStart + Redactor.placeholder.utf8.count
        #expect(redacted.chunkEnds == [10, placeholderEnd, expected.count])
        #expect(redacted.chunkTimes == [.milliseconds(1), .milliseconds(3), .milliseconds(4)])
    }

    @Test("A body without secrets is returned as it was, image payload and all")
    func cleanBody() throws {
        let payload = String(repeating: "iVBORw0KGgo", count: 2_000)
        let bytes = Array("data: {\"b64_json\":\"\(payload)\",\"usage\":{\"total_tokens\":5}}\n\n".utf8)
        let ends = [100, 5_000, bytes.count]
        let times: [Duration] = [.zero, .milliseconds(1), .milliseconds(2)]
        let redacted = try Redactor().body(bytes, chunkEnds: ends, chunkTimes: times)
        #expect(redacted.bytes == bytes)
        #expect(redacted.chunkEnds == ends)
        #expect(redacted.chunkTimes == times)
    }

    @Test("A request carrying a megabytes-long image keeps it whole, and loses the key beside it; non-UTF-8 bytes survive")
    func largeAndBinary() throws {
        let payload = String(repeating: "iVBORw0KGgoAAAANSUhEUg", count: 200_000)
        let body = #"{"image_url":"data:image/png;base64,"# + payload + #"","api_key":"k1","note":"é sk-abcdefgh12345678"}"#
        #expect(try Redactor().text(body) == #"{"image_url":"data:image/png;base64,"# + payload + #"","api_key":"[redacted]","note":"é [redacted]"}"#)

        let binary: [UInt8] = [0xFF, 0xFE, 0x00] + Array(" sk-abcdefgh12345678 ".utf8) + [0xC3]
        let redacted = try Redactor().body(binary, chunkEnds: [binary.count], chunkTimes: [.zero])
        #expect(redacted.bytes == [0xFF, 0xFE, 0x00] + Array(" [redacted] ".utf8) + [0xC3])
    }
}
