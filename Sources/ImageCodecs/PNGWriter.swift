import CZlib

/// PNG written by hand: signature, IHDR, IDAT chunks of zlib `deflate` output, IEND.
/// Rows are drawn one at a time into a reused buffer (filter byte 0, then the pixels; a row
/// equal to the previous one is not drawn again) and streamed through deflate; its output goes
/// straight into a fixed chunk buffer that becomes one IDAT chunk each time it fills.
/// Memory: a row (two for a flat picture) and one chunk, plus the result.
enum PNGWriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Image data bytes per IDAT chunk (the last one may be shorter).
    static let idatSize = 256 * 1024

    static func encode(_ picture: Picture, level: Int32) throws(ImageEncodingError) -> [UInt8] {
        let renderer = SceneRenderer(picture)
        let (width, channels) = (picture.width, picture.channels)
        // A flat picture and a mosaic are filtered into zeros (below), which run-length matching packs best.
        let strategy = renderer.flatColour == nil && picture.blockSide == nil ? Z_DEFAULT_STRATEGY : Z_RLE
        // Noise does not compress: stored blocks make the same size at once.
        let level = renderer.noiseSeed == nil ? level : Z_NO_COMPRESSION

        let rowBytes = 1 + width * channels
        let row = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
        defer { row.deallocate() }
        row[0] = 0   // filter type None
        // A flat picture: the first row filtered Sub (the colour, then zero differences), the
        // others Up (all zero), so deflate sees only zeros whatever the colour.
        var flatRows: (first: UnsafeMutablePointer<UInt8>, others: UnsafeMutablePointer<UInt8>)?
        if let colour = renderer.flatColour {
            row.update(repeating: 0, count: rowBytes)
            row[0] = 1   // Sub
            let components = [colour.r, colour.g, colour.b, colour.a]
            for i in 0..<channels { row[1 + i] = UInt8(truncatingIfNeeded: components[i]) }
            let others = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
            others.update(repeating: 0, count: rowBytes)
            others[0] = 2   // Up
            flatRows = (row, others)
        }
        defer { flatRows?.others.deallocate() }
        // A mosaic: a row equal to the one above is filtered Up into zeros, so each block row
        // costs one row's bytes however tall the blocks are.
        var repeatedRow: UnsafeMutablePointer<UInt8>?
        if picture.blockSide != nil, flatRows == nil {
            repeatedRow = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
            repeatedRow!.update(repeating: 0, count: rowBytes)
            repeatedRow![0] = 2   // Up
        }
        defer { repeatedRow?.deallocate() }
        var lastKey = Int.min
        return try write(width: width, height: picture.height, hasAlpha: picture.hasAlpha, level: level, strategy: strategy) { y in
            if let flatRows { return UnsafePointer(y == 0 ? flatRows.first : flatRows.others) }
            let key = renderer.rowKey(y)
            if key == lastKey, let repeatedRow { return UnsafePointer(repeatedRow) }
            if key != lastKey {   // otherwise the buffer already holds this row
                renderer.render(key: key, into: row + 1)
                lastKey = key
                if repeatedRow != nil { filterSub(row, count: rowBytes - 1, bytesPerPixel: channels) }
            }
            return UnsafePointer(row)
        }
    }

    /// Filters the row after `row[0]` with Sub in place (each byte minus the one a pixel to its
    /// left), so a mosaic's runs of one colour become zeros too.
    private static func filterSub(_ row: UnsafeMutablePointer<UInt8>, count: Int, bytesPerPixel: Int) {
        row[0] = 1   // Sub
        var index = count
        while index > bytesPerPixel {
            row[index] = row[index] &- row[index - bytesPerPixel]
            index -= 1
        }
    }

    /// 8-bit RGBA pixels, `width * 4` bytes per row, top row first, as a PNG (colour type 6).
    static func encode(rgba pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, level: Int32) throws(ImageEncodingError) -> [UInt8] {
        let rowBytes = 1 + width * 4
        let row = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
        defer { row.deallocate() }
        row[0] = 0   // filter type None
        return try write(width: width, height: height, hasAlpha: true, level: level, strategy: Z_DEFAULT_STRATEGY) { y in
            (row + 1).update(from: pixels.baseAddress! + y * width * 4, count: width * 4)
            return UnsafePointer(row)
        }
    }

    /// Signature, IHDR, the rows that `filteredRow(y)` gives (filter byte first) deflated into
    /// IDAT chunks, IEND.
    private static func write(
        width: Int, height: Int, hasAlpha: Bool, level: Int32, strategy: Int32,
        filteredRow: (Int) -> UnsafePointer<UInt8>
    ) throws(ImageEncodingError) -> [UInt8] {
        var out = signature
        var header: [UInt8] = []
        appendBE32(&header, UInt32(width))
        appendBE32(&header, UInt32(height))
        header += [8, hasAlpha ? 6 : 2, 0, 0, 0]   // depth, colour type, deflate, filter, no interlace
        header.withUnsafeBufferPointer { appendChunk(&out, type: "IHDR", data: $0) }

        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15, 8, strategy,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw zlibFailure(status, &stream, "deflateInit2") }
        defer { deflateEnd(&stream) }

        let rowBytes = 1 + width * (hasAlpha ? 4 : 3)
        // [length][IDAT][data...][crc]: deflate writes the data in place.
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: idatSize + 12)
        defer { chunk.deallocate() }
        let data = chunk + 8

        func emit(_ count: Int) {
            guard count > 0 else { return }
            storeBE32(chunk, UInt32(count))
            chunk[4] = 0x49; chunk[5] = 0x44; chunk[6] = 0x41; chunk[7] = 0x54   // "IDAT"
            storeBE32(data + count, UInt32(truncatingIfNeeded: crc32(0, chunk + 4, uInt(count + 4))))
            out.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count + 12))
        }

        stream.next_out = data
        stream.avail_out = uInt(idatSize)
        for y in 0..<height {
            stream.next_in = UnsafeMutablePointer(mutating: filteredRow(y))
            stream.avail_in = uInt(rowBytes)
            while stream.avail_in > 0 {
                let result = deflate(&stream, Z_NO_FLUSH)
                guard result == Z_OK || result == Z_BUF_ERROR else { throw zlibFailure(result, &stream, "deflate") }
                if stream.avail_out == 0 {
                    emit(idatSize)
                    stream.next_out = data
                    stream.avail_out = uInt(idatSize)
                }
            }
        }
        stream.next_in = nil
        while true {
            let result = deflate(&stream, Z_FINISH)
            guard result == Z_OK || result == Z_BUF_ERROR || result == Z_STREAM_END else {
                throw zlibFailure(result, &stream, "deflate")
            }
            if result == Z_STREAM_END { break }
            if stream.avail_out == 0 {
                emit(idatSize)
                stream.next_out = data
                stream.avail_out = uInt(idatSize)
            }
        }
        emit(idatSize - Int(stream.avail_out))
        appendChunk(&out, type: "IEND", data: UnsafeBufferPointer(start: nil, count: 0))
        return out
    }

    private static func zlibFailure(_ status: Int32, _ stream: inout z_stream, _ call: String) -> ImageEncodingError {
        let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
        return .libraryFailure(library: "zlib", message: "\(call): \(message)")
    }

    private static func appendChunk(_ out: inout [UInt8], type: String, data: UnsafeBufferPointer<UInt8>) {
        let typeBytes = Array(type.utf8)
        appendBE32(&out, UInt32(data.count))
        out += typeBytes
        if data.count > 0 { out.append(contentsOf: data) }
        var crc = typeBytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, 4) }
        if let base = data.baseAddress, data.count > 0 { crc = crc32(crc, base, uInt(data.count)) }
        appendBE32(&out, UInt32(truncatingIfNeeded: crc))
    }

    private static func appendBE32(_ out: inout [UInt8], _ value: UInt32) {
        out += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func storeBE32(_ p: UnsafeMutablePointer<UInt8>, _ value: UInt32) {
        p[0] = UInt8(value >> 24)
        p[1] = UInt8(value >> 16 & 0xFF)
        p[2] = UInt8(value >> 8 & 0xFF)
        p[3] = UInt8(value & 0xFF)
    }
}
