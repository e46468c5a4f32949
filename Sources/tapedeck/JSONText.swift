/// Appends JSON text to a byte buffer. Written by hand because the event data it quotes can be
/// tens of megabytes of base64: runs that need no escaping are copied in one piece.
enum JSONText {
    static func appendString(_ string: String, to output: inout [UInt8]) {
        var string = string
        output.append(0x22)
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(for: byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(0x22)
    }

    static func appendKey(_ key: StaticString, to output: inout [UInt8]) {
        output.append(0x22)
        output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        output.append(contentsOf: [0x22, 0x3A])
    }

    static func appendInteger(_ value: Int, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }

    private static func appendEscape(for byte: UInt8, to output: inout [UInt8]) {
        output.append(0x5C)
        switch byte {
        case 0x22: output.append(0x22)
        case 0x5C: output.append(0x5C)
        case 0x0A: output.append(0x6E) // n
        case 0x0D: output.append(0x72) // r
        case 0x09: output.append(0x74) // t
        case 0x08: output.append(0x62) // b
        case 0x0C: output.append(0x66) // f
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
