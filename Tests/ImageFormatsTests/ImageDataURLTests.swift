import ImageFormats
import Testing

/// Payloads arrive bare or behind a `data:` prefix; both give the same base64.
struct ImageDataURLTests {
    @Test("A data URL prefix is split off with its media type; bare base64 passes unchanged", arguments: [
        ("iVBORw0KGgo=", nil, "iVBORw0KGgo="),
        ("data:image/png;base64,iVBORw0KGgo=", "image/png", "iVBORw0KGgo="),
        ("data:image/webp;base64,UklGRg==", "image/webp", "UklGRg=="),
        ("data:no-comma", nil, "data:no-comma"),
    ] as [(String, String?, String)])
    func split(_ text: String, _ mediaType: String?, _ base64: String) {
        let parts = ImageDataURL.split(text)
        #expect(parts.mediaType.map(String.init) == mediaType)
        #expect(String(parts.base64) == base64)
    }
}
