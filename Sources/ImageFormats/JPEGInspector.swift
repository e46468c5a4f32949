/// JPEG: SOI, then the marker segments with their lengths; each SOS is followed by
/// entropy-coded data, scanned for the next marker while honouring byte stuffing (FF 00),
/// fill bytes (FF FF) and restart markers (FF D0–D7); EOI ends the image.
struct JPEGInspector {
    let view: ByteView

    func run(into result: inout ImageInspection, problems: inout ProblemList) {
        let n = view.count
        result.hasAlpha = false
        guard n >= 2 else {
            problems.add(.truncated(expected: 2, at: 0))
            return
        }

        var pos = 2
        var sawSOF = false, sawSOS = false, sawEOI = false
        var stopped = false   // truncation or lost framing
        var frameHeight = 0, frameWidth = 0
        var dnlHeight: Int?

        markers: while pos < n {
            guard let first = view.u8(pos), first == 0xFF else {
                problems.add(.expectedMarker(offset: pos, found: view.u8(pos) ?? 0))
                stopped = true
                break
            }
            // Any number of 0xFF fill bytes may precede a marker.
            var m = pos + 1
            while view.u8(m) == 0xFF { m += 1 }
            guard let marker = view.u8(m) else {
                problems.add(.truncated(expected: m - pos + 1, at: pos))
                stopped = true
                break
            }
            let markerOffset = m - 1
            pos = m + 1

            switch marker {
            case 0xD9:   // EOI
                sawEOI = true
                if pos < n { problems.add(.trailingBytes(count: n - pos)) }
                break markers
            case 0x01:   // TEM: standalone, allowed
                continue markers
            case 0xD0...0xD8:   // RSTn outside a scan, or a second SOI
                problems.add(.unexpectedMarker(marker: marker, offset: markerOffset))
                continue markers
            case 0x00...0xBF:   // FF 00 outside a scan, or reserved: the length is unknown
                problems.add(.unexpectedMarker(marker: marker, offset: markerOffset))
                stopped = true
                break markers
            default:
                break
            }

            // A segment with a two-byte length that counts itself.
            let name = Self.name(of: marker)
            guard let length = view.be16(pos) else {
                problems.add(.truncated(expected: 4, at: markerOffset))
                stopped = true
                break
            }
            guard length >= 2 else {
                problems.add(.badLength(chunk: name, length: length, offset: markerOffset))
                stopped = true
                break
            }
            guard view.has(length, at: pos) else {
                problems.add(.truncated(expected: 2 + length, at: markerOffset))
                stopped = true
                break
            }
            let body = pos + 2
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:   // SOFn
                let components = Int(view.u8(body + 5) ?? 0)
                if length < 8 || length != 8 + 3 * components {
                    problems.add(.badLength(chunk: name, length: length, offset: markerOffset))
                } else if components == 0 {
                    problems.add(.invalidHeader(field: "\(name) component count", value: 0, offset: body + 5))
                }
                if length >= 8 && !sawSOF {
                    frameHeight = view.be16(body + 1) ?? 0
                    frameWidth = view.be16(body + 3) ?? 0
                    result.width = frameWidth
                    result.height = frameHeight
                }
                sawSOF = true
            case 0xDA:   // SOS
                if !sawSOF {
                    problems.add(.misplacedChunk(chunk: name, offset: markerOffset))
                }
                let components = Int(view.u8(body) ?? 0)
                if length < 6 || length != 6 + 2 * components || components == 0 || components > 4 {
                    problems.add(.badLength(chunk: name, length: length, offset: markerOffset))
                }
                sawSOS = true
            case 0xDC:   // DNL: the frame height, when SOF gave 0
                if length != 4 {
                    problems.add(.badLength(chunk: name, length: length, offset: markerOffset))
                } else if dnlHeight == nil {
                    dnlHeight = view.be16(body)
                }
            default:
                break
            }
            pos += length

            if marker == 0xDA {
                // Entropy-coded data: runs to the next marker other than FF 00 and RSTn.
                var i = pos
                while true {
                    guard let ff = view.firstFF(from: i) else {
                        break markers   // the input ends inside the scan: no EOI
                    }
                    var j = ff + 1
                    while view.u8(j) == 0xFF { j += 1 }
                    guard let next = view.u8(j) else { break markers }
                    if next == 0x00 || (0xD0...0xD7).contains(next) {
                        i = j + 1
                        continue
                    }
                    pos = j - 1   // the marker's 0xFF
                    break
                }
            }
        }

        if frameHeight == 0, let dnlHeight, sawSOF {
            frameHeight = dnlHeight
            result.height = dnlHeight
        }
        if sawSOF && (frameWidth == 0 || frameHeight == 0) {
            problems.add(.zeroDimensions)
        }
        if !sawSOF && (!stopped || sawSOS) {
            problems.add(.missingChunk("SOF"))
        }
        if !stopped {
            if !sawSOS { problems.add(.missingChunk("SOS")) }
            if !sawEOI { problems.add(.missingEnd("EOI")) }
        }
    }

    static func name(of marker: UInt8) -> String {
        switch marker {
        case 0xC4: return "DHT"
        case 0xC8: return "JPG"
        case 0xCC: return "DAC"
        case 0xC0...0xCF: return "SOF\(marker - 0xC0)"
        case 0xD0...0xD7: return "RST\(marker - 0xD0)"
        case 0xD8: return "SOI"
        case 0xD9: return "EOI"
        case 0xDA: return "SOS"
        case 0xDB: return "DQT"
        case 0xDC: return "DNL"
        case 0xDD: return "DRI"
        case 0xDE: return "DHP"
        case 0xDF: return "EXP"
        case 0xE0...0xEF: return "APP\(marker - 0xE0)"
        case 0xFE: return "COM"
        default:
            let digits: [Character] = Array("0123456789ABCDEF")
            return "FF" + String(digits[Int(marker >> 4)]) + String(digits[Int(marker & 0xF)])
        }
    }
}
