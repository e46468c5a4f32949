import CZlib

/// PNG: signature, then every chunk's length, type and CRC; IHDR first and valid; PLTE, tRNS and
/// IDAT in their places; IEND last with nothing after it; and (optionally) the IDAT zlib stream
/// inflated and measured against the header.
struct PNGInspector {
    let view: ByteView
    let options: InspectionOptions

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let maxLength = 0x7FFF_FFFF

    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: Int
        var interlaced: Bool
        /// True when every field is valid, so the image data size can be computed.
        var valid: Bool

        var channels: Int {
            switch colorType {
            case 2: return 3
            case 4: return 2
            case 6: return 4
            default: return 1
            }
        }
    }

    func run(into result: inout ImageInspection, problems: inout ProblemList) {
        let n = view.count
        // Signature.
        let head = view.bytes(0, 8)
        guard head == Array(Self.signature.prefix(head.count)) else {
            problems.add(.badSignature(expected: Self.signature, found: head))
            return
        }
        guard n >= 8 else {
            problems.add(.truncated(expected: 8, at: 0))
            return
        }

        var pos = 8
        var chunkIndex = 0
        var header: Header?
        var sawIHDR = false, sawPLTE = false, sawTRNS = false, sawIEND = false
        var idatCount = 0
        var idatRunOver = false      // a non-IDAT chunk followed the IDAT chunks
        var reportedIDATRun = false  // the first IDAT after that is reported, not every one
        var stopped = false          // truncation or lost framing: absence of later chunks is not judged
        var inflater: IDATInflater?

        while pos < n {
            guard view.has(8, at: pos), let rawLength = view.be32(pos) else {
                problems.add(.truncated(expected: 12, at: pos))
                stopped = true
                break
            }
            guard let type = view.fourCC(pos + 4, lettersOnly: true) else {
                problems.add(.badChunkType(bytes: view.bytes(pos + 4, 4), offset: pos))
                stopped = true
                break
            }
            let length = Int(rawLength)
            guard length <= Self.maxLength else {
                problems.add(.badLength(chunk: type, length: length, offset: pos))
                stopped = true
                break
            }
            let total = 12 + length
            guard view.has(total, at: pos) else {
                problems.add(.truncated(expected: total, at: pos))
                stopped = true
                break
            }
            let dataStart = pos + 8
            if let stored = view.be32(dataStart + length), stored != crc(from: pos + 4, count: 4 + length) {
                problems.add(.badChunkCRC(chunk: type, offset: pos))
            }

            if chunkIndex == 0 && type != "IHDR" {
                problems.add(.missingChunk("IHDR"))
            }
            if type != "IDAT" && idatCount > 0 { idatRunOver = true }

            switch type {
            case "IHDR":
                if sawIHDR || chunkIndex != 0 {
                    problems.add(.misplacedChunk(chunk: type, offset: pos))
                } else if length != 13 {
                    problems.add(.badLength(chunk: type, length: length, offset: pos))
                } else {
                    let h = readHeader(at: dataStart, problems: &problems)
                    header = h
                    result.width = h.width
                    result.height = h.height
                    result.hasAlpha = h.colorType == 4 || h.colorType == 6
                    if h.valid && options.verifyImageData {
                        inflater = IDATInflater(expected: expectedImageDataSize(h), limit: options.maxDecompressedBytes)
                    }
                }
                sawIHDR = true
            case "PLTE":
                let colorType = header?.colorType
                if sawPLTE || idatCount > 0 || colorType == 0 || colorType == 4 {
                    problems.add(.misplacedChunk(chunk: type, offset: pos))
                } else if length == 0 || length % 3 != 0 || length > 768
                    || (colorType == 3 && length / 3 > 1 << (header?.bitDepth ?? 8)) {
                    problems.add(.badLength(chunk: type, length: length, offset: pos))
                }
                sawPLTE = true
            case "tRNS":
                let colorType = header?.colorType
                if sawTRNS || idatCount > 0 || colorType == 4 || colorType == 6 {
                    problems.add(.misplacedChunk(chunk: type, offset: pos))
                } else if (colorType == 0 && length != 2) || (colorType == 2 && length != 6)
                    || (colorType == 3 && length > 256) {
                    problems.add(.badLength(chunk: type, length: length, offset: pos))
                } else if colorType != nil {
                    result.hasAlpha = true
                }
                sawTRNS = true
            case "IDAT":
                if idatRunOver && !reportedIDATRun {
                    reportedIDATRun = true
                    problems.add(.misplacedChunk(chunk: type, offset: pos))
                }
                idatCount += 1
                if let inflater, let base = view.buffer.baseAddress {
                    inflater.feed(base + dataStart, count: length, chunkOffset: pos, problems: &problems)
                }
            case "IEND":
                if length != 0 {
                    problems.add(.badLength(chunk: type, length: length, offset: pos))
                }
                sawIEND = true
            default:
                // Bit 5 of the first letter clear (upper case) marks a critical chunk.
                if let first = view.u8(pos + 4), first & 0x20 == 0 {
                    problems.add(.unknownCriticalChunk(chunk: type, offset: pos))
                }
            }
            pos += total
            chunkIndex += 1
            if sawIEND {
                if pos < n { problems.add(.trailingBytes(count: n - pos)) }
                break
            }
        }

        if !stopped {
            if !sawIHDR && chunkIndex == 0 { problems.add(.missingChunk("IHDR")) }
            if header?.colorType == 3 && !sawPLTE { problems.add(.missingChunk("PLTE")) }
            if idatCount == 0 { problems.add(.missingChunk("IDAT")) }
            if !sawIEND { problems.add(.missingEnd("IEND")) }
        }
        if let inflater, idatCount > 0 {
            inflater.finish(inputComplete: !stopped, problems: &problems)
        }
    }

    /// Reads the 13-byte IHDR payload at `offset`, reporting each invalid field.
    private func readHeader(at offset: Int, problems: inout ProblemList) -> Header {
        let width = Int(view.be32(offset) ?? 0)
        let height = Int(view.be32(offset + 4) ?? 0)
        let bitDepth = Int(view.u8(offset + 8) ?? 0)
        let colorType = Int(view.u8(offset + 9) ?? 0)
        var valid = true
        if width == 0 || height == 0 {
            problems.add(.zeroDimensions)
            valid = false
        } else if width > Self.maxLength || height > Self.maxLength {
            problems.add(.dimensionsTooLarge(width: width, height: height))
            valid = false
        }
        let allowedDepths: [Int]
        switch colorType {
        case 0: allowedDepths = [1, 2, 4, 8, 16]
        case 3: allowedDepths = [1, 2, 4, 8]
        case 2, 4, 6: allowedDepths = [8, 16]
        default:
            allowedDepths = []
            problems.add(.invalidHeader(field: "colour type", value: colorType, offset: offset + 9))
            valid = false
        }
        if !allowedDepths.isEmpty && !allowedDepths.contains(bitDepth) {
            problems.add(.invalidBitDepth(bitDepth: bitDepth, colorType: colorType, offset: offset + 8))
            valid = false
        }
        let fields = [("compression method", 10, 0...0), ("filter method", 11, 0...0), ("interlace method", 12, 0...1)]
        for (name, at, allowed) in fields {
            let value = Int(view.u8(offset + at) ?? 0)
            if !allowed.contains(value) {
                problems.add(.invalidHeader(field: name, value: value, offset: offset + at))
                valid = false
            }
        }
        let interlaced = view.u8(offset + 12) == 1
        return Header(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                      interlaced: interlaced, valid: valid)
    }

    /// The size of the filtered image data the header implies: for each (pass of each) image,
    /// rows × (1 filter byte + row bytes). `Int.max` when it overflows.
    private func expectedImageDataSize(_ h: Header) -> Int {
        let bitsPerPixel = h.bitDepth * h.channels
        func passSize(width: Int, height: Int) -> Int {
            guard width > 0, height > 0 else { return 0 }
            let (bits, o1) = width.multipliedReportingOverflow(by: bitsPerPixel)
            guard !o1 else { return Int.max }
            let rowBytes = bits / 8 + (bits % 8 == 0 ? 0 : 1)
            let (size, o2) = height.multipliedReportingOverflow(by: rowBytes + 1)
            return o2 ? Int.max : size
        }
        guard h.interlaced else { return passSize(width: h.width, height: h.height) }
        // Adam7: (x start, y start, x step, y step) of the seven passes.
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var total = 0
        for (x0, y0, dx, dy) in passes {
            let w = h.width > x0 ? (h.width - x0 + dx - 1) / dx : 0
            let rows = h.height > y0 ? (h.height - y0 + dy - 1) / dy : 0
            let (sum, overflow) = total.addingReportingOverflow(passSize(width: w, height: rows))
            if overflow { return Int.max }
            total = sum
        }
        return total
    }

    /// zlib's CRC-32 of `count` bytes at `offset` (which the caller has bounds-checked).
    private func crc(from offset: Int, count: Int) -> UInt32 {
        guard let base = view.buffer.baseAddress, view.has(count, at: offset) else { return 0 }
        let pointer = (base + offset).assumingMemoryBound(to: Bytef.self)
        return UInt32(truncatingIfNeeded: crc32(0, pointer, uInt(count)))
    }
}
