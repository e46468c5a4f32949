/// Encodes a `Picture` as a real, decodable PNG, JPEG or WebP image.
public enum ImageEncoder {
    /// Pictures over this many pixels (100 megapixels) are refused: an encode holds up to four
    /// bytes per pixel in memory (JPEG and WebP take the whole image at once).
    public static let maximumPixelCount = 100_000_000

    /// The encoded image: PNG (8-bit RGB, or RGBA when `picture.hasAlpha`; zlib level 2),
    /// JPEG (libjpeg-turbo, 4:2:0; baseline, or progressive for a flat picture, whose optimised
    /// Huffman tables make it several times smaller) or WebP (libwebp, lossy, with an alpha
    /// plane when `picture.hasAlpha`).
    ///
    /// - Parameter quality: 0...100 for JPEG and WebP (JPEG treats 0 as 1); ignored by PNG.
    /// - Throws: `.invalidSize` for a side outside 1...`encoding.maximumSide`, `.tooManyPixels`
    ///   over `maximumPixelCount`, `.alphaUnsupported` for alpha with JPEG, `.invalidQuality`,
    ///   `.libraryFailure` when the library gives up.
    public static func encode(_ picture: Picture, as encoding: ImageEncoding, quality: Int = 80) throws(ImageEncodingError) -> [UInt8] {
        try validate(picture, as: encoding, quality: quality)
        switch encoding {
        case .png: return try PNGWriter.encode(picture, level: pngCompressionLevel)
        case .jpeg: return try JPEGWriter.encode(picture, quality: quality)
        case .webp: return try WebPWriter.encode(picture, quality: quality)
        }
    }

    /// zlib's level for PNG image data: fast, since the pictures compress well anyway.
    static let pngCompressionLevel: Int32 = 2

    /// Throws what `encode` would throw before doing any work.
    public static func validate(_ picture: Picture, as encoding: ImageEncoding, quality: Int = 80) throws(ImageEncodingError) {
        let (width, height) = (picture.width, picture.height)
        guard (1...encoding.maximumSide).contains(width), (1...encoding.maximumSide).contains(height) else {
            throw .invalidSize(width: width, height: height, encoding: encoding)
        }
        try checkArea(width: width, height: height)
        if picture.hasAlpha && !encoding.supportsAlpha {
            throw .alphaUnsupported(encoding)
        }
        if encoding.isLossy && !(0...100).contains(quality) {
            throw .invalidQuality(quality, encoding: encoding)
        }
    }

    static func checkArea(width: Int, height: Int) throws(ImageEncodingError) {
        guard width >= 1, height >= 1 else {
            throw .invalidSize(width: width, height: height, encoding: .png)
        }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, area <= maximumPixelCount else {
            throw .tooManyPixels(width: width, height: height, limit: maximumPixelCount)
        }
    }
}
