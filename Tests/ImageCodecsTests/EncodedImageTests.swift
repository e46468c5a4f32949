import ImageCodecs
import ImageFormats
import Testing

/// Every encode must inspect as a complete image of the right format, size and alpha.
@Suite("Encoded images are complete and say what was asked for")
struct EncodedImageTests {
    static let sizes = [(1, 1), (7, 5), (1024, 1024), (1536, 1024)]

    static let cases: [EncodeCase] = {
        var cases: [EncodeCase] = []
        for encoding in ImageEncoding.allCases {
            for (width, height) in sizes {
                cases.append(EncodeCase(encoding: encoding, width: width, height: height))
                if encoding.supportsAlpha {
                    cases.append(EncodeCase(encoding: encoding, width: width, height: height, hasAlpha: true))
                }
            }
            // One 4K image per format: these dominate the run time.
            cases.append(EncodeCase(encoding: encoding, width: 3840, height: 2160))
        }
        // Odd shapes: one pixel high or wide, and the largest WebP side.
        cases.append(EncodeCase(encoding: .png, width: 4099, height: 1, hasAlpha: true))
        cases.append(EncodeCase(encoding: .jpeg, width: 1, height: 3001))
        cases.append(EncodeCase(encoding: .webp, width: 16383, height: 3))
        cases.append(EncodeCase(encoding: .webp, width: 3, height: 16383, hasAlpha: true))
        // Coarse previews are complete images too.
        for detail in 0..<Picture.finestDetail {
            for encoding in ImageEncoding.allCases {
                cases.append(EncodeCase(encoding: encoding, width: 333, height: 257, hasAlpha: encoding.supportsAlpha, detail: detail))
            }
        }
        return cases
    }()

    @Test("inspects as a complete image of the requested format, size and alpha", arguments: cases)
    func inspectsAsComplete(_ c: EncodeCase) throws {
        let bytes = try ImageEncoder.encode(c.picture, as: c.encoding)
        let inspection = ImageInspector.inspect(bytes)
        #expect(inspection.isComplete, "\(describe(inspection))")
        #expect(inspection.problems.isEmpty)
        #expect(inspection.format?.rawValue == c.encoding.rawValue)
        #expect(inspection.width == c.width)
        #expect(inspection.height == c.height)
        #expect(inspection.hasAlpha == c.hasAlpha)
    }

    @Test("every encoding has its own magic bytes", arguments: ImageEncoding.allCases)
    func magicBytes(_ encoding: ImageEncoding) throws {
        let bytes = try ImageEncoder.encode(Picture(width: 16, height: 16), as: encoding)
        #expect(ImageFormat.detect(bytes)?.rawValue == encoding.rawValue)
    }

    @Test("quality changes lossy output and is ignored by PNG", arguments: ImageEncoding.allCases)
    func qualityMatters(_ encoding: ImageEncoding) throws {
        let picture = Picture(width: 320, height: 240, seed: 3)
        let low = try ImageEncoder.encode(picture, as: encoding, quality: 10)
        let high = try ImageEncoder.encode(picture, as: encoding, quality: 95)
        if encoding.isLossy {
            #expect(low.count < high.count)
        } else {
            #expect(low == high)
        }
        #expect(ImageInspector.inspect(low).isComplete)
        #expect(ImageInspector.inspect(try ImageEncoder.encode(picture, as: encoding, quality: 0)).isComplete)
    }
}
