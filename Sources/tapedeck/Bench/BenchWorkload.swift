/// The inputs the parser is measured on, made the same way on every run.
struct BenchWorkload {
    let name: String
    let fileName: String
    let bytes: [UInt8]
    /// How many bytes each `feed` call gets.
    let chunkSize: Int
    let expectedEvents: Int

    /// One event whose data is `dataBytes` of base64, like a 4K PNG sent as `b64_json`.
    static func singleLargeEvent(dataBytes: Int, chunkSize: Int, name: String) -> BenchWorkload {
        var bytes = Array("data: ".utf8)
        bytes.reserveCapacity(dataBytes + 8)
        appendBase64Text(count: dataBytes, to: &bytes)
        bytes.append(contentsOf: Array("\n\n".utf8))
        return BenchWorkload(name: name, fileName: "single-event-\(dataBytes >> 20)mib.sse", bytes: bytes, chunkSize: chunkSize, expectedEvents: 1)
    }

    /// `count` small JSON events, like a Responses stream's bookkeeping events.
    static func smallEvents(count: Int, chunkSize: Int) -> BenchWorkload {
        var bytes: [UInt8] = []
        for index in 0..<count {
            bytes.append(contentsOf: Array("""
            event: image_generation.partial_image
            data: {"type":"image_generation.partial_image","partial_image_index":\(index % 3),"sequence_number":\(index),"b64_json":"aGVsbG8="}


            """.utf8))
        }
        return BenchWorkload(name: "\(count) small JSON events, 64 KiB chunks", fileName: "small-events-\(count).sse", bytes: bytes, chunkSize: chunkSize, expectedEvents: count)
    }

    /// Base64 text of pseudo-random bytes: what an image payload looks like on the wire.
    private static func appendBase64Text(count: Int, to bytes: inout [UInt8]) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var produced = 0
        while produced < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            var word = state
            for _ in 0..<min(10, count - produced) {
                bytes.append(alphabet[Int(word & 63)])
                word >>= 6
                produced += 1
            }
        }
    }
}
