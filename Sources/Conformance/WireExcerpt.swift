/// The start of a delivered body made readable: line ends and non-printing bytes shown, and
/// long base64 runs shortened, so a report shows the shape of the stream at a glance.
enum WireExcerpt {
    static func make(_ bytes: ArraySlice<UInt8>, limit: Int = 1200) -> String {
        var out = ""
        var run = 0
        var elided = 0
        func flushElided() {
            if elided > 0 { out += "…(\(elided) more)…"; elided = 0 }
        }
        for byte in bytes {
            if out.utf8.count >= limit {
                out += "… (\(bytes.count) bytes in all)"
                break
            }
            let isBase64 = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2F
            run = isBase64 ? run + 1 : 0
            if run > 48 {
                elided += 1
                continue
            }
            flushElided()
            switch byte {
            case 0x0A: out += "\\n\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        flushElided()
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
