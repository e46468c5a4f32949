import CTurboJPEG
import CWebP
import CZlib
import ImageCodecs
import Testing

/// The libraries themselves read back what was written.
@Suite("Encoded images decode back to the picture")
struct LibraryRoundTripTests {
    static let sizes = [(1, 1), (7, 5), (1024, 1024), (1536, 1024)]

    @Test("WebPGetInfo reports the picture's size", arguments: sizes, [false, true])
    func webpInfo(_ size: (Int, Int), hasAlpha: Bool) throws {
        let bytes = try ImageEncoder.encode(Picture(width: size.0, height: size.1, hasAlpha: hasAlpha), as: .webp)
        var width: Int32 = 0, height: Int32 = 0
        #expect(WebPGetInfo(bytes, bytes.count, &width, &height) != 0)
        #expect((Int(width), Int(height)) == size)
    }

    @Test("tjDecompressHeader3 reports the picture's size and 4:2:0 sampling", arguments: sizes)
    func jpegHeader(_ size: (Int, Int)) throws {
        let bytes = try ImageEncoder.encode(Picture(width: size.0, height: size.1), as: .jpeg)
        let handle = try #require(tjInitDecompress())
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = -1, colourspace: Int32 = -1
        #expect(tjDecompressHeader3(handle, bytes, UInt(bytes.count), &width, &height, &subsampling, &colourspace) == 0)
        #expect((Int(width), Int(height)) == size)
        #expect(subsampling == Int32(TJSAMP_420.rawValue))
        #expect(colourspace == Int32(TJCS_YCbCr.rawValue))
    }

    static let pngPictures: [Picture] = [
        Picture(width: 301, height: 203, hasAlpha: false, detail: 3, seed: 11),
        Picture(width: 301, height: 203, hasAlpha: true, detail: 3, seed: 11),
        Picture(width: 301, height: 203, hasAlpha: false, detail: 0, seed: 11),
        Picture(width: 301, height: 203, hasAlpha: true, detail: 1, seed: 11),
        .flat(width: 301, height: 203),
        .flat(width: 301, height: 203, hasAlpha: true, seed: 99),
    ]

    @Test("PNG image data inflates and unfilters to exactly the picture's pixels", arguments: pngPictures)
    func pngPixels(_ picture: Picture) throws {
        let bytes = try ImageEncoder.encode(picture, as: .png)
        let decoded = try #require(Self.inflatePNG(bytes))
        let pixels = try #require(Self.unfilter(decoded, width: picture.width, height: picture.height, channels: picture.channels))
        #expect(pixels == (try picture.pixels()))
    }

    @Test("JPEG decodes close to the picture's pixels", arguments: [0, 3])
    func jpegPixels(detail: Int) throws {
        let picture = Picture(width: 320, height: 240, detail: detail, seed: 5)
        let bytes = try ImageEncoder.encode(picture, as: .jpeg, quality: 90)
        let handle = try #require(tjInitDecompress())
        defer { tjDestroy(handle) }
        var decoded = [UInt8](repeating: 0, count: picture.width * picture.height * 3)
        let status = tjDecompress2(handle, bytes, UInt(bytes.count), &decoded, Int32(picture.width), 0, Int32(picture.height),
                                   Int32(TJPF_RGB.rawValue), 0)
        #expect(status == 0)
        #expect(meanAbsoluteDifference(decoded, try picture.pixels()) < 4)
    }

    @Test("WebP decodes close to the picture's pixels, alpha included", arguments: [false, true])
    func webpPixels(hasAlpha: Bool) throws {
        let picture = Picture(width: 320, height: 240, hasAlpha: hasAlpha, seed: 5)
        let bytes = try ImageEncoder.encode(picture, as: .webp, quality: 90)
        var width: Int32 = 0, height: Int32 = 0
        let output = hasAlpha ? WebPDecodeRGBA(bytes, bytes.count, &width, &height) : WebPDecodeRGB(bytes, bytes.count, &width, &height)
        let pointer = try #require(output)
        defer { WebPFree(pointer) }
        #expect((Int(width), Int(height)) == (picture.width, picture.height))
        let decoded = Array(UnsafeBufferPointer(start: pointer, count: Int(width) * Int(height) * picture.channels))
        let original = try picture.pixels()
        if hasAlpha {
            // Lossy WebP keeps alpha exactly but may change the colour under transparent pixels.
            let alphaDecoded = stride(from: 3, to: decoded.count, by: 4).map { decoded[$0] }
            let alphaOriginal = stride(from: 3, to: original.count, by: 4).map { original[$0] }
            #expect(meanAbsoluteDifference(alphaDecoded, alphaOriginal) < 1)
        } else {
            #expect(meanAbsoluteDifference(decoded, original) < 5)
        }
    }

    /// The concatenated IDAT data of a PNG, inflated; nil when zlib fails.
    static func inflatePNG(_ png: [UInt8]) -> [UInt8]? {
        var compressed: [UInt8] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if type == "IDAT" { compressed += png[(offset + 8)..<(offset + 8 + length)] }
            offset += 12 + length
        }
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        return compressed.withUnsafeMutableBufferPointer { input -> [UInt8]? in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = buffer.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                result += buffer[0..<produced]
                if status == Z_STREAM_END { return result }
                guard status == Z_OK else { return nil }
            }
        }
    }

    /// PNG scanlines (a filter byte, then the row) back to raw pixels; nil on a bad filter or size.
    static func unfilter(_ data: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8]? {
        let rowBytes = width * channels
        guard data.count == height * (rowBytes + 1) else { return nil }
        var pixels = [UInt8](repeating: 0, count: height * rowBytes)
        for y in 0..<height {
            let filter = data[y * (rowBytes + 1)]
            for i in 0..<rowBytes {
                let x = Int(data[y * (rowBytes + 1) + 1 + i])
                let a = i >= channels ? Int(pixels[y * rowBytes + i - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * rowBytes + i]) : 0
                let c = i >= channels && y > 0 ? Int(pixels[(y - 1) * rowBytes + i - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: return nil
                }
                pixels[y * rowBytes + i] = UInt8(truncatingIfNeeded: x + predicted)
            }
        }
        return pixels
    }
}
