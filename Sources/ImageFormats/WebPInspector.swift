/// WebP: the RIFF header and its size field, the "WEBP" form type, then every chunk's FourCC
/// and size within the input; the first chunk is VP8 (lossy), VP8L (lossless) or VP8X
/// (extended) and gives the dimensions; an extended file needs its image (or animation) chunks.
struct WebPInspector {
    let view: ByteView

    private enum Layout { case simple, extended(animated: Bool), unknown }

    private struct Frame { var width: Int; var height: Int; var alpha: Bool }

    func run(into result: inout ImageInspection, problems: inout ProblemList) {
        let n = view.count
        guard n >= 12, let riffSize = view.le32(4) else {
            problems.add(.truncated(expected: 12, at: 0))
            return
        }
        let declaredEnd = Int(riffSize) + 8

        var pos = 12
        var index = 0
        var stopped = false        // truncation or lost framing
        var sawTrailing = false
        var lastSizeOdd = false
        var layout = Layout.unknown
        var canvas: (width: Int, height: Int)?
        var imageChunks = 0, frames = 0
        var sawANIM = false

        while pos < n {
            if pos == declaredEnd {
                problems.add(.trailingBytes(count: n - pos))
                sawTrailing = true
                break
            }
            guard view.has(8, at: pos), let rawSize = view.le32(pos + 4) else {
                problems.add(.truncated(expected: 8, at: pos))
                stopped = true
                break
            }
            guard let fourCC = view.fourCC(pos, lettersOnly: false) else {
                problems.add(.badChunkType(bytes: view.bytes(pos, 4), offset: pos))
                stopped = true
                break
            }
            let size = Int(rawSize)
            let payload = pos + 8
            guard view.has(size, at: payload) else {
                problems.add(.truncated(expected: 8 + size, at: pos))
                stopped = true
                break
            }

            if index == 0 {
                switch fourCC {
                case "VP8 ", "VP8L":
                    layout = .simple
                    if let frame = readImageChunk(fourCC, at: pos, size: size, problems: &problems) {
                        result.width = frame.width
                        result.height = frame.height
                        result.hasAlpha = frame.alpha
                    }
                case "VP8X":
                    guard size >= 10, let flags = view.u8(payload),
                          let w = view.le24(payload + 4), let h = view.le24(payload + 7) else {
                        problems.add(.badLength(chunk: fourCC, length: size, offset: pos))
                        break
                    }
                    let animated = flags & 0x02 != 0
                    layout = .extended(animated: animated)
                    canvas = (w + 1, h + 1)
                    result.width = w + 1
                    result.height = h + 1
                    result.hasAlpha = flags & 0x10 != 0
                    if (w + 1) * (h + 1) > 0xFFFF_FFFF {
                        problems.add(.dimensionsTooLarge(width: w + 1, height: h + 1))
                    }
                default:
                    problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                }
            } else {
                switch (layout, fourCC) {
                case (.unknown, _):
                    break
                case (.simple, _), (.extended, "VP8X"):
                    problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                case (.extended(let animated), "VP8 "), (.extended(let animated), "VP8L"):
                    if animated || imageChunks > 0 {
                        problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                    } else if let frame = readImageChunk(fourCC, at: pos, size: size, problems: &problems),
                              let canvas, frame.width != canvas.width || frame.height != canvas.height {
                        problems.add(.canvasMismatch(canvasWidth: canvas.width, canvasHeight: canvas.height,
                                                     imageWidth: frame.width, imageHeight: frame.height))
                    }
                    imageChunks += 1
                case (.extended(let animated), "ALPH"):
                    if animated || imageChunks > 0 {
                        problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                    }
                case (.extended(let animated), "ANIM"):
                    if !animated || sawANIM || frames > 0 {
                        problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                    } else if size < 6 {
                        problems.add(.badLength(chunk: fourCC, length: size, offset: pos))
                    }
                    sawANIM = true
                case (.extended(let animated), "ANMF"):
                    if !animated {
                        problems.add(.misplacedChunk(chunk: fourCC, offset: pos))
                    } else if size < 16 {
                        problems.add(.badLength(chunk: fourCC, length: size, offset: pos))
                    }
                    frames += 1
                case (.extended, _):
                    break   // ICCP, EXIF, "XMP " and unknown chunks
                }
            }

            lastSizeOdd = size & 1 == 1
            pos = payload + size + (lastSizeOdd ? 1 : 0)   // may pass n by the final padding byte
            index += 1
        }

        guard !stopped else { return }
        if !sawTrailing {
            // The RIFF size may count the final chunk's padding byte or leave it out.
            let end = pos
            let acceptable = declaredEnd == end || (lastSizeOdd && declaredEnd == end - 1)
            if !acceptable {
                problems.add(.riffSizeMismatch(declared: declaredEnd, actual: min(end, n)))
            }
        }
        switch layout {
        case .unknown:
            if index == 0 { problems.add(.missingChunk("VP8 /VP8L/VP8X")) }
        case .simple:
            break
        case .extended(animated: false):
            if imageChunks == 0 { problems.add(.missingChunk("VP8 /VP8L")) }
        case .extended(animated: true):
            if !sawANIM { problems.add(.missingChunk("ANIM")) }
            if frames == 0 { problems.add(.missingChunk("ANMF")) }
        }
    }

    /// Reads a VP8 or VP8L chunk's frame header; nil when it gives no dimensions.
    private func readImageChunk(_ fourCC: String, at offset: Int, size: Int, problems: inout ProblemList) -> Frame? {
        let p = offset + 8
        if fourCC == "VP8L" {
            guard size >= 5, let signature = view.u8(p), let bits = view.le32(p + 1) else {
                problems.add(.badLength(chunk: fourCC, length: size, offset: offset))
                return nil
            }
            guard signature == 0x2F else {
                problems.add(.invalidHeader(field: "VP8L signature", value: Int(signature), offset: p))
                return nil
            }
            let version = Int(bits >> 29)
            if version != 0 {
                problems.add(.invalidHeader(field: "VP8L version", value: version, offset: p + 4))
            }
            return Frame(width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1,
                         alpha: (bits >> 28) & 1 == 1)
        }
        // VP8: a 3-byte frame tag, then for a key frame the start code and the 14-bit sizes.
        guard size >= 10, let tag = view.le24(p), let w = view.le16(p + 6), let h = view.le16(p + 8) else {
            problems.add(.badLength(chunk: fourCC, length: size, offset: offset))
            return nil
        }
        guard tag & 1 == 0 else {
            problems.add(.invalidHeader(field: "VP8 frame type (a key frame is required)", value: 1, offset: p))
            return nil
        }
        let version = (tag >> 1) & 7
        if version > 3 {
            problems.add(.invalidHeader(field: "VP8 version", value: version, offset: p))
        }
        if (tag >> 4) & 1 == 0 {
            problems.add(.invalidHeader(field: "VP8 show_frame flag", value: 0, offset: p))
        }
        let partitionSize = tag >> 5
        if partitionSize > size - 10 {
            problems.add(.invalidHeader(field: "VP8 first partition size", value: partitionSize, offset: p))
        }
        guard view.u8(p + 3) == 0x9D, view.u8(p + 4) == 0x01, view.u8(p + 5) == 0x2A else {
            let code = view.bytes(p + 3, 3).reduce(0) { $0 << 8 | Int($1) }
            problems.add(.invalidHeader(field: "VP8 start code", value: code, offset: p + 3))
            return nil
        }
        let width = w & 0x3FFF, height = h & 0x3FFF
        if width == 0 || height == 0 { problems.add(.zeroDimensions) }
        return Frame(width: width, height: height, alpha: false)
    }
}
