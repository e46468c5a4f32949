/// Text made safe for an XML 1.0 document.
///
/// libxml2 escapes `<`, `&`, `>` and quotes, but it writes characters that XML 1.0 forbids
/// (NUL and the other C0 controls but tab, LF and CR; U+FFFE, U+FFFF) as they are, and a reader
/// then rejects the whole report. A wire excerpt or a client's standard error can hold any of
/// them, so they are replaced before writing: a C0 control by its Unicode control picture (U+0000
/// becomes `␀`, U+0001 `␁`), so the reader still sees which byte it was; U+FFFE and U+FFFF by
/// U+FFFD.
public enum XMLText {
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isAllowed(scalar) ? scalar : replacement(for: scalar))
        }
        return String(scalars)
    }

    /// XML 1.0's `Char` production (§2.2). Swift strings hold no lone surrogates.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xFFFD: scalar.value != 0xFFFE
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 0x20, let picture = Unicode.Scalar(0x2400 + scalar.value) { return picture }
        return "\u{FFFD}"
    }
}
