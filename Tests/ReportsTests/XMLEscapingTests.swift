import Reports
import Testing

@Suite("XML text: libxml2 escapes, forbidden characters are replaced, the document stays well-formed")
struct XMLEscapingTests {
    @Test("Characters XML 1.0 forbids are replaced; everything else is kept", arguments: [
        ("a\u{0}b", "a\u{2400}b"),
        ("\u{1}\u{8}\u{B}\u{C}\u{1F}", "\u{2401}\u{2408}\u{240B}\u{240C}\u{241F}"),
        ("\u{FFFE}\u{FFFF}", "\u{FFFD}\u{FFFD}"),
        ("tab\tLF\nCR\r", "tab\tLF\nCR\r"),
        ("\u{FFFD} 😀 ü \u{7F}", "\u{FFFD} 😀 ü \u{7F}"),
        ("]]> < & \"", "]]> < & \""),
    ])
    func sanitized(input: String, expected: String) {
        #expect(XMLText.sanitized(input) == expected)
    }

    /// What a reader gets back, for text that went through attributes and element text.
    @Test("Odd text survives a round trip through the writer and libxml2's parser", arguments: [
        ("]]>", "]]>"), ("<", "<"), ("&", "&"), ("&amp;", "&amp;"), ("\"'", "\"'"),
        ("NUL\u{0}here", "NUL\u{2400}here"), ("\u{FFFD}", "\u{FFFD}"), ("line\r\nnext", "line\r\nnext"),
    ])
    func roundTrip(text: String, readBack: String) throws {
        var result = Fixtures.result("x@y", verdict: .fail, violations: [
            Violation(ruleID: "CLIENT-002", level: "MUST", statement: text, source: "", expected: text, observed: text),
        ])
        result.clientLog = text
        let bytes = try JUnitWriter(hostname: "h").render(Fixtures.report([result]))
        let xml = try #require(ParsedXML(bytes), "not well-formed: \(String(decoding: bytes, as: UTF8.self))")
        let failure = try #require(xml.first("failure"))
        #expect(failure.attributes["message"] == "CLIENT-002: \(readBack)")
        #expect(failure.text.contains("expected: \(readBack)\n"))
        #expect(xml.first("system-err")?.text == "== x@y\n\(readBack)\n")
    }

    @Test("The raw document never holds a forbidden character, and `]]>` and `<` only escaped")
    func rawBytes() throws {
        let bytes = try JUnitWriter(hostname: "h").render(Fixtures.oddCharacters)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.unicodeScalars.contains { !XMLText.isAllowed($0) })
        #expect(!text.contains("]]>"))
        #expect(!text.contains("<tag>"))
        #expect(text.contains("&lt;tag&gt;"))
        #expect(text.contains("\u{FFFD}"))
        #expect(ParsedXML(bytes) != nil)
    }
}
