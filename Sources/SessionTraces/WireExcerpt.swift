/// The start of a body as people read it in a report: CR, LF, tabs and other controls shown
/// as `\r`, `\n`, `\t`, `\xNN` (a line break follows each `\n`), long lines cut with their
/// remaining size, so a 30 MB base64 line costs one line.
public enum WireExcerpt {
    /// At most about `maxBytes` bytes of excerpt (a cut line counts by what is shown).
    public static func make(_ body: [UInt8], maxBytes: Int = 4_096, maxLineBytes: Int = 240) -> String {
        var out: [UInt8] = []
        var lineLength = 0
        var index = 0
        while index < body.count, out.count < maxBytes {
            let byte = body[index]
            if byte != 0x0A && byte != 0x0D && lineLength >= maxLineBytes {
                // Skip to the line's end and say how much was left out.
                var next = index
                while next < body.count, body[next] != 0x0A, body[next] != 0x0D { next += 1 }
                out += Array("… (\(next - index) more bytes)".utf8)
                index = next
                lineLength = 0
                continue
            }
            switch byte {
            case 0x0A: out += Array("\\n\n".utf8); lineLength = 0
            case 0x0D: out += Array("\\r".utf8); lineLength = 0
            case 0x09: out += Array("\\t".utf8); lineLength += 1
            case ..<0x20, 0x7F: out += Array("\\x".utf8) + hex(byte); lineLength += 1
            default: out.append(byte); lineLength += 1
            }
            index += 1
        }
        var text = String(decoding: out, as: UTF8.self)
        if index < body.count { text += "\n… (\(body.count - index) more bytes)" }
        return text
    }

    private static func hex(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }
}
