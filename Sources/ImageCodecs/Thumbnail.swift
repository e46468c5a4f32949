/// Small previews of images for reports: decoded, box-filtered down, and written as PNG.
public enum Thumbnail {
    /// `image` scaled so that its longer side is at most `maxSide` (never enlarged). Each
    /// output pixel is the mean of the source pixels it covers, colour weighted by alpha so
    /// that transparent pixels do not darken the edges.
    public static func downscale(_ image: RGBAImage, maxSide: Int) -> RGBAImage {
        let longer = max(image.width, image.height)
        guard maxSide > 0, longer > maxSide else { return image }
        let width = max(1, image.width * maxSide / longer)
        let height = max(1, image.height * maxSide / longer)
        let (sw, sh) = (image.width, image.height)
        var output = [UInt8](repeating: 0, count: width * height * 4)
        // Sums for one output row: premultiplied R, G, B, then alpha, then the pixel count.
        var sums = [UInt64](repeating: 0, count: width * 5)
        // The output column of each source column, computed once.
        let column = (0..<sw).map { min(width - 1, $0 * width / sw) }
        image.pixels.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { sums in
                output.withUnsafeMutableBufferPointer { output in
                    var y = 0
                    for oy in 0..<height {
                        // Each output row covers at least one source row.
                        let rowEnd = min(sh, max((oy + 1) * sh / height, y + 1))
                        for i in 0..<sums.count { sums[i] = 0 }
                        while y < rowEnd {
                            var p = y * sw * 4
                            for x in 0..<sw {
                                let s = column[x] * 5
                                let alpha = UInt64(source[p + 3])
                                sums[s] &+= UInt64(source[p]) * alpha
                                sums[s + 1] &+= UInt64(source[p + 1]) * alpha
                                sums[s + 2] &+= UInt64(source[p + 2]) * alpha
                                sums[s + 3] &+= alpha
                                sums[s + 4] &+= 1
                                p += 4
                            }
                            y += 1
                        }
                        for ox in 0..<width {
                            let s = ox * 5
                            let o = (oy * width + ox) * 4
                            let alphaSum = sums[s + 3], count = max(1, sums[s + 4])
                            if alphaSum > 0 {
                                output[o] = UInt8(sums[s] / alphaSum)
                                output[o + 1] = UInt8(sums[s + 1] / alphaSum)
                                output[o + 2] = UInt8(sums[s + 2] / alphaSum)
                            }
                            output[o + 3] = UInt8(alphaSum / count)
                        }
                    }
                }
            }
        }
        return RGBAImage(width: width, height: height, pixels: output)
    }

    /// A PNG of `image` scaled down to at most `maxSide` pixels a side.
    public static func png(of image: RGBAImage, maxSide: Int) -> [UInt8]? {
        let small = downscale(image, maxSide: maxSide)
        return try? small.pixels.withUnsafeBufferPointer { pixels throws(ImageEncodingError) in
            // The best compression: thumbnails are tiny and end up in pages.
            try PNGWriter.encode(rgba: pixels, width: small.width, height: small.height, level: 9)
        }
    }

    /// A PNG thumbnail of encoded image bytes (PNG, JPEG or WebP), or nil when they cannot be
    /// decoded in full.
    public static func png(ofEncoded bytes: [UInt8], maxSide: Int) -> [UInt8]? {
        guard let image = ImageDecoder.decode(bytes) else { return nil }
        return png(of: image, maxSide: maxSide)
    }
}
