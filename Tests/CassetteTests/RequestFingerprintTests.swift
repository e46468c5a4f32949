import Cassette
import Testing

@Suite("A request's fingerprint and the name a proxy gives its cassette")
struct RequestFingerprintTests {
    static let base = RecordedRequest(
        method: "POST", path: "/v1/images/generations",
        headers: [Header("Authorization", "Bearer [redacted]")],
        body: .json(#"{"model":"gpt-image-1","prompt":"otter","stream":true}"#)
    )

    struct Variation: Sendable, CustomTestStringConvertible {
        let what: String
        let request: RecordedRequest
        let sameFingerprint: Bool
        var testDescription: String { what }
    }

    static var variations: [Variation] {
        var otherHeaders = base
        otherHeaders.headers = [Header("User-Agent", "OpenAI/Python 2.8.0"), Header("X-Request-Id", "abc")]
        var reordered = base
        reordered.body = .json(#"{ "stream": true, "prompt": "otter", "model": "gpt-image-1" }"#)
        var otherPrompt = base
        otherPrompt.body = .json(#"{"model":"gpt-image-1","prompt":"heron","stream":true}"#)
        var otherPath = base
        otherPath.path = "/v1/images/edits"
        var withQuery = base
        withQuery.path = "/v1/images/generations?api-version=2025-04-01"
        var otherMethod = base
        otherMethod.method = "PUT"
        return [
            Variation(what: "other headers", request: otherHeaders, sameFingerprint: true),
            Variation(what: "the same JSON, keys reordered and spaced", request: reordered, sameFingerprint: true),
            Variation(what: "another prompt", request: otherPrompt, sameFingerprint: false),
            Variation(what: "another path", request: otherPath, sameFingerprint: false),
            Variation(what: "a query", request: withQuery, sameFingerprint: false),
            Variation(what: "another method", request: otherMethod, sameFingerprint: false),
        ]
    }

    @Test("Headers and JSON layout do not change it; method, path, query and fields do", arguments: variations)
    func variation(_ variation: Variation) {
        #expect((variation.request.fingerprint == Self.base.fingerprint) == variation.sameFingerprint)
    }

    @Test("Forms: text fields in order and file digests count, file names do not")
    func forms() {
        let file = FilePart(name: "image[]", filename: "otter.png", contentType: "image/png", size: 3, sha256: String(repeating: "a", count: 64))
        let form = RecordedRequest(method: "POST", path: "/v1/images/edits", body: .form(fields: [("model", "gpt-image-1"), ("prompt", "hat")], files: [file]))
        var renamed = form
        var renamedFile = file
        renamedFile.filename = "copy.png"
        renamed.body = .form(fields: [("model", "gpt-image-1"), ("prompt", "hat")], files: [renamedFile])
        var otherImage = form
        var otherFile = file
        otherFile.sha256 = String(repeating: "b", count: 64)
        otherImage.body = .form(fields: [("model", "gpt-image-1"), ("prompt", "hat")], files: [otherFile])
        #expect(renamed.fingerprint == form.fingerprint)
        #expect(otherImage.fingerprint != form.fingerprint)
    }

    @Test("The name is the surface with dashes and twelve hex digits")
    func name() {
        let name = Cassette.name(surface: "images.generate", request: Self.base)
        #expect(name.hasPrefix("images-generate-"))
        let digits = name.dropFirst("images-generate-".count)
        #expect(digits.count == 12)
        #expect(digits.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
