import CZlib

/// Undoes a response's `Content-Encoding` (gzip, deflate), as vcrpy keeps compressed bodies
/// unless told `decode_compressed_response=True`. Through zlib, which both formats are.
enum ContentDecoding {
    enum Failure: Error, CustomStringConvertible {
        case unsupported(String)
        case corrupt(String)
        var description: String {
            switch self {
            case .unsupported(let coding): "the body is `\(coding)`-encoded, which Tapedeck cannot undo; record it again with vcrpy's decode_compressed_response=True"
            case .corrupt(let coding): "the body is not valid \(coding) data"
            }
        }
    }

    static func decode(_ bytes: [UInt8], contentEncoding: String?) throws(Failure) -> [UInt8] {
        let coding = (contentEncoding ?? "").trimmingSpaces.lowercased()
        switch coding {
        case "", "identity": return bytes
        // 15 + 32: zlib or gzip, detected from the header. Raw deflate (no header) is tried after.
        case "gzip", "x-gzip", "deflate":
            if let out = inflate(bytes, windowBits: 15 + 32) { return out }
            if coding == "deflate", let out = inflate(bytes, windowBits: -15) { return out }
            throw .corrupt(coding)
        default:
            throw .unsupported(coding)
        }
    }

    private static func inflate(_ input: [UInt8], windowBits: Int32) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        return input.withUnsafeMutableBufferPointer { source -> [UInt8]? in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                if status == Z_STREAM_END { return output }
                if status != Z_OK { return nil }
                if stream.avail_in == 0 && stream.avail_out != 0 { return nil }
            }
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
