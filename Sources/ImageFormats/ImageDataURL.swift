/// An image payload as it travels in JSON: base64, bare as OpenAI sends it, or behind a
/// `data:image/png;base64,` prefix as some gateways send it. The one place that knows both.
public enum ImageDataURL {
    /// The media type of a `data:` prefix (nil when there is none) and the base64 after it.
    public static func split(_ text: String) -> (mediaType: Substring?, base64: Substring) {
        guard text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") else { return (nil, Substring(text)) }
        let header = text[text.index(text.startIndex, offsetBy: 5)..<comma]
        return (header.split(separator: ";").first, text[text.index(after: comma)...])
    }
}
