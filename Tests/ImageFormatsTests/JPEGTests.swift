import ImageFormats
import Testing

private let baseline = Fixtures.jpegBaseline8x6
private let app0 = jpegSegment(0xE0, in: baseline)
private let dqt = jpegSegment(0xDB, in: baseline)
private let sof = jpegSegment(0xC0, in: baseline)
private let sos = jpegSegment(0xDA, in: baseline)
private let scanStart = sos.offset + 2 + sos.length

/// A structurally minimal JPEG: SOI, a one-component SOF0, `beforeScan` segments, an SOS, the
/// scan bytes, `afterScan`, EOI. Tables are left out: only the framing is inspected.
private func jpeg(width: Int = 8, height: Int = 6, beforeScan: [UInt8] = [], scan: [UInt8], afterScan: [UInt8] = []) -> [UInt8] {
    let sof0: [UInt8] = [0xFF, 0xC0, 0x00, 0x0B, 0x08, UInt8(height >> 8), UInt8(height & 0xFF),
                         UInt8(width >> 8), UInt8(width & 0xFF), 0x01, 0x01, 0x11, 0x00]
    let sos: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
    return [0xFF, 0xD8] + sof0 + beforeScan + sos + scan + afterScan + [0xFF, 0xD9]
}

/// The offset of the `index`th (0-based) SOS marker in `bytes`.
private func sosOffset(_ index: Int, in bytes: [UInt8]) -> Int {
    var seen = 0
    for i in 0..<(bytes.count - 1) where bytes[i] == 0xFF && bytes[i + 1] == 0xDA {
        if seen == index { return i }
        seen += 1
    }
    return -1
}

@Suite("JPEG")
struct JPEGTests {
    static let damages: [Damage] = [
        Damage("only the first byte of SOI", [0xFF], [.truncated(expected: 2, at: 0)]),
        Damage("only SOI", Array(baseline.prefix(2)), [.missingChunk("SOF"), .missingChunk("SOS"), .missingEnd("EOI")]),
        Damage("cut inside APP0", Array(baseline.prefix(10)), [.truncated(expected: 2 + app0.length, at: app0.offset)]),
        Damage("cut inside DQT", Array(baseline.prefix(dqt.offset + 10)), [.truncated(expected: 2 + dqt.length, at: dqt.offset)]),
        Damage("cut after a marker's 0xFF", Array(baseline.prefix(dqt.offset + 1)), [.truncated(expected: 2, at: dqt.offset)]),
        Damage("cut inside a length field", Array(baseline.prefix(dqt.offset + 3)), [.truncated(expected: 4, at: dqt.offset)]),
        Damage("cut inside the entropy-coded data", Array(baseline.prefix(scanStart + 5)), [.missingEnd("EOI")]),
        Damage("no EOI", Array(baseline.dropLast(2)), [.missingEnd("EOI")]),
        Damage("half an EOI", Array(baseline.dropLast(1)), [.missingEnd("EOI")]),
        Damage("a progressive JPEG cut between two scans",
               Array(Fixtures.jpegProgressive8x6.prefix(sosOffset(3, in: Fixtures.jpegProgressive8x6))), [.missingEnd("EOI")]),
        Damage("trailing garbage after EOI", baseline + [0, 1, 2], [.trailingBytes(count: 3)]),
        Damage("no SOF", Array(baseline[..<sof.offset] + baseline[(sof.offset + 2 + sof.length)...]),
               [.misplacedChunk(chunk: "SOS", offset: sos.offset - 2 - sof.length), .missingChunk("SOF")]),
        Damage("a DQT length of 1", baseline.replacing(dqt.offset + 2, with: [0, 1]),
               [.badLength(chunk: "DQT", length: 1, offset: dqt.offset)]),
        Damage("an APP0 length one too long", baseline.replacing(app0.offset + 2, with: [0, UInt8(app0.length + 1)]),
               [.expectedMarker(offset: app0.offset + 3 + app0.length, found: 0xDB)]),
        Damage("an SOF0 length that disagrees with its component count",
               jpeg(scan: [1]).replacing(4, with: [0x00, 0x0B + 3]),
               [.badLength(chunk: "SOF0", length: 14, offset: 2), .expectedMarker(offset: 18, found: 0x08)]),
        Damage("a length pointing past the end", baseline.replacing(dqt.offset + 2, with: [0xFF, 0xF0]),
               [.truncated(expected: 2 + 0xFFF0, at: dqt.offset)]),
        Damage("a zero height and no DNL", jpeg(height: 0, scan: [1, 2]), [.zeroDimensions]),
        Damage("a zero width", jpeg(width: 0, scan: [1, 2]), [.zeroDimensions]),
        Damage("a second SOI", jpeg(beforeScan: [0xFF, 0xD8], scan: [1]), [.unexpectedMarker(marker: 0xD8, offset: 15)]),
        Damage("a restart marker outside a scan", jpeg(beforeScan: [0xFF, 0xD3], scan: [1]),
               [.unexpectedMarker(marker: 0xD3, offset: 15)]),
        Damage("a reserved marker", jpeg(beforeScan: [0xFF, 0x02, 0x00, 0x04], scan: [1]),
               [.unexpectedMarker(marker: 0x02, offset: 15)]),
        Damage("tables only, no frame", [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x03, 0x41, 0xFF, 0xD9],
               [.missingChunk("SOF"), .missingChunk("SOS")]),
    ]

    @Test("A damaged JPEG reports exactly what is wrong and where", arguments: damages)
    func damaged(_ damage: Damage) {
        let result = ImageInspector.inspect(damage.bytes)
        #expect(result.format == .jpeg)
        #expect(result.problems == damage.expected)
        #expect(!result.isComplete)
    }

    static let wellFormed: [Damage] = [
        Damage("byte stuffing (FF 00) in the scan", jpeg(scan: [0x12, 0xFF, 0x00, 0x34, 0xFF, 0x00]), []),
        Damage("restart markers in the scan", jpeg(scan: [0x12, 0xFF, 0xD0, 0x34, 0xFF, 0xD7, 0x56]), []),
        Damage("fill bytes before a marker", jpeg(scan: [0x12, 0xFF, 0xFF, 0xFF, 0xD1, 0x56, 0xFF, 0xFF]), []),
        Damage("a COM segment after the scan", jpeg(scan: [0x12], afterScan: [0xFF, 0xFE, 0x00, 0x04, 0xFF, 0xD9]), []),
        Damage("a TEM marker", jpeg(beforeScan: [0xFF, 0x01], scan: [1]), []),
    ]

    @Test("Entropy-coded data ends only at a real marker", arguments: wellFormed)
    func scanning(_ sample: Damage) {
        let result = ImageInspector.inspect(sample.bytes)
        #expect(result.problems == sample.expected)
        #expect(result.width == 8 && result.height == 6)
    }

    @Test("A zero height in SOF is taken from a DNL segment after the first scan")
    func heightFromDNL() {
        let result = ImageInspector.inspect(jpeg(height: 0, scan: [1, 2], afterScan: [0xFF, 0xDC, 0x00, 0x04, 0x00, 0x07]))
        #expect(result.problems == [])
        #expect(result.height == 7)
    }

    @Test("The size comes from any SOFn but not from DHT, JPG or DAC")
    func frameMarkers() {
        for marker: UInt8 in [0xC1, 0xC2, 0xC3, 0xC5, 0xC9, 0xCF] {
            let bytes = jpeg(width: 300, height: 200, scan: [1]).replacing(3, with: [marker])
            let result = ImageInspector.inspect(bytes)
            #expect(result.problems == [], "marker \(marker)")
            #expect(result.width == 300 && result.height == 200, "marker \(marker)")
        }
        for marker: UInt8 in [0xC4, 0xC8, 0xCC] {
            let result = ImageInspector.inspect(jpeg(scan: [1]).replacing(3, with: [marker]))
            #expect(result.width == nil, "marker \(marker)")
            #expect(result.problems.contains(.missingChunk("SOF")), "marker \(marker)")
        }
    }
}
