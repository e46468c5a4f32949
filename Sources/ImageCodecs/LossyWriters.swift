import CTurboJPEG
import CWebP

/// Draws the whole picture into one temporary buffer (the libraries take the image at once).
private func withPixels<R>(
    _ picture: Picture,
    _ body: (UnsafeMutablePointer<UInt8>, _ rowBytes: Int) throws(ImageEncodingError) -> R
) throws(ImageEncodingError) -> R {
    let rowBytes = picture.width * picture.channels
    let pixels = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes * picture.height)
    defer { pixels.deallocate() }
    SceneRenderer(picture).renderAll(into: pixels, rowBytes: rowBytes)
    return try body(pixels, rowBytes)
}

/// JPEG through TurboJPEG's `tjCompress2`: RGB in, 4:2:0 chroma subsampling, baseline.
enum JPEGWriter {
    static func encode(_ picture: Picture, quality: Int) throws(ImageEncodingError) -> [UInt8] {
        try withPixels(picture) { (pixels, rowBytes) throws(ImageEncodingError) in
            guard let handle = tjInitCompress() else {
                throw failure(nil, "tjInitCompress")
            }
            defer { tjDestroy(handle) }
            var jpeg: UnsafeMutablePointer<UInt8>?
            var size: UInt = 0
            defer { if let jpeg { tjFree(jpeg) } }
            let status = tjCompress2(
                handle, pixels, Int32(picture.width), Int32(rowBytes), Int32(picture.height), Int32(TJPF_RGB.rawValue),
                &jpeg, &size, Int32(TJSAMP_420.rawValue), Int32(min(max(quality, 1), 100)), picture.content == .flat || picture.blockSide != nil ? Int32(TJFLAG_PROGRESSIVE) : 0)
            guard status == 0, let jpeg, size > 0 else {
                throw failure(handle, "tjCompress2")
            }
            return Array(UnsafeBufferPointer(start: jpeg, count: Int(size)))
        }
    }

    private static func failure(_ handle: tjhandle?, _ call: String) -> ImageEncodingError {
        let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
        return .libraryFailure(library: "libjpeg-turbo", message: "\(call): \(message)")
    }
}

/// Lossy WebP through libwebp's `WebPEncodeRGB` / `WebPEncodeRGBA`.
enum WebPWriter {
    static func encode(_ picture: Picture, quality: Int) throws(ImageEncodingError) -> [UInt8] {
        try withPixels(picture) { (pixels, rowBytes) throws(ImageEncodingError) in
            var output: UnsafeMutablePointer<UInt8>?
            defer { if let output { WebPFree(output) } }
            let (w, h, stride, q) = (Int32(picture.width), Int32(picture.height), Int32(rowBytes), Float(quality))
            let size = picture.hasAlpha
                ? WebPEncodeRGBA(pixels, w, h, stride, q, &output)
                : WebPEncodeRGB(pixels, w, h, stride, q, &output)
            guard size > 0, let output else {
                let call = picture.hasAlpha ? "WebPEncodeRGBA" : "WebPEncodeRGB"
                throw .libraryFailure(library: "libwebp", message: "\(call) produced no image (\(picture.width)x\(picture.height))")
            }
            return Array(UnsafeBufferPointer(start: output, count: size))
        }
    }
}
