import CPNG
import CTurboJPEG
import CWebP

/// PNG (libpng), JPEG (libjpeg-turbo) and WebP (libwebp) bytes decoded to RGBA pixels.
/// Anything the library does not accept in full (a truncated file, a bad checksum, garbage)
/// gives nil: a picture that is only partly there is not shown as if it were whole.
public enum ImageDecoder {
    /// Larger images are not decoded: 4 bytes a pixel would need over 256 MB.
    public static let maximumPixelCount = 64_000_000

    /// The pixels, or nil when the bytes are not a whole PNG, JPEG or WebP image the
    /// libraries can decode, or the image is over `maximumPixelCount` pixels.
    public static func decode(_ bytes: [UInt8]) -> RGBAImage? {
        guard bytes.count >= 4 else { return nil }
        switch (bytes[0], bytes[1]) {
        case (0x89, 0x50): return decodePNG(bytes)
        case (0xFF, 0xD8): return decodeJPEG(bytes)
        case (0x52, 0x49): return decodeWebP(bytes)   // "RI" of RIFF
        default: return nil
        }
    }

    static func fits(width: Int, height: Int) -> Bool {
        width > 0 && height > 0 && width * height <= maximumPixelCount
    }

    /// libpng's simplified API: it catches libpng's errors itself and reports them by result.
    /// libpng reads from the caller's memory until the end, so all of it happens while the
    /// bytes are pinned.
    static func decodePNG(_ bytes: [UInt8]) -> RGBAImage? {
        bytes.withUnsafeBytes { source -> RGBAImage? in
            var image = png_image()
            image.version = png_uint_32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, source.baseAddress, source.count) != 0 else { return nil }
            defer { png_image_free(&image) }
            let (width, height) = (Int(image.width), Int(image.height))
            guard fits(width: width, height: height) else { return nil }
            image.format = tapedeck_png_format_rgba
            var pixels = [UInt8](repeating: 0, count: width * height * 4)
            let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 4), nil) }
            return finished != 0 ? RGBAImage(width: width, height: height, pixels: pixels) : nil
        }
    }

    /// TurboJPEG: a warning (such as data that ends early) counts as a failure.
    static func decodeJPEG(_ bytes: [UInt8]) -> RGBAImage? {
        guard let handle = tjInitDecompress() else { return nil }
        defer { tjDestroy(handle) }
        var (width, height, subsampling, colourspace): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        let size = UInt(bytes.count)
        let header = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, size, &width, &height, &subsampling, &colourspace)
        }
        guard header == 0, fits(width: Int(width), height: Int(height)) else { return nil }
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * 4)
        let status = bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer {
                tjDecompress2(handle, source.baseAddress, size, $0.baseAddress, width, width * 4, height,
                              Int32(TJPF_RGBA.rawValue), Int32(TJFLAG_STOPONWARNING))
            }
        }
        guard status == 0 else { return nil }
        return RGBAImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    static func decodeWebP(_ bytes: [UInt8]) -> RGBAImage? {
        var (width, height): (Int32, Int32) = (0, 0)
        let known = bytes.withUnsafeBufferPointer { WebPGetInfo($0.baseAddress, $0.count, &width, &height) }
        guard known != 0, fits(width: Int(width), height: Int(height)) else { return nil }
        guard let output = bytes.withUnsafeBufferPointer({ WebPDecodeRGBA($0.baseAddress, $0.count, &width, &height) }) else {
            return nil
        }
        defer { WebPFree(output) }
        let count = Int(width) * Int(height) * 4
        return RGBAImage(width: Int(width), height: Int(height), pixels: Array(UnsafeBufferPointer(start: output, count: count)))
    }
}
