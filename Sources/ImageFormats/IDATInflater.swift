import CZlib

/// Inflates a PNG's IDAT stream chunk by chunk through one fixed-size output buffer that is
/// overwritten each time, counting the bytes. Memory: zlib's state plus `bufferSize`, whatever
/// the image. Work: stops as soon as the output passes the expected size or reaches `limit`.
final class IDATInflater {
    enum State { case running, ended, failed, stoppedEarly }

    static let bufferSize = 32 * 1024

    let expected: Int
    let limit: Int
    private(set) var produced = 0
    private(set) var state = State.running
    private var stream = z_stream()
    private let output: UnsafeMutablePointer<UInt8>
    private var initialised = false
    private var reportedExtra = false

    init(expected: Int, limit: Int) {
        self.expected = expected
        self.limit = limit
        output = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.bufferSize)
        initialised = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        if !initialised { state = .stoppedEarly }
    }

    deinit {
        if initialised { inflateEnd(&stream) }
        output.deallocate()
    }

    /// Feeds the `count` data bytes of the IDAT chunk at `chunkOffset`.
    func feed(_ data: UnsafeRawPointer, count: Int, chunkOffset: Int, problems: inout ProblemList) {
        guard count > 0 else { return }
        if state == .ended {
            if !reportedExtra {
                reportedExtra = true
                problems.add(.extraCompressedData(offset: chunkOffset))
            }
            return
        }
        guard state == .running else { return }
        stream.next_in = UnsafeMutablePointer(mutating: data.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(count)   // count ≤ 2^31-1, checked by the caller
        defer { stream.next_in = nil; stream.avail_in = 0 }
        // Output is requested only up to one byte past the expected size and up to the limit.
        let stopAt = min(limit, expected == Int.max ? Int.max : expected + 1)
        while true {
            let room = min(Self.bufferSize, stopAt - produced)
            guard room > 0 else {
                state = .stoppedEarly
                return
            }
            stream.next_out = output
            stream.avail_out = uInt(room)
            let status = inflate(&stream, Z_NO_FLUSH)
            produced += room - Int(stream.avail_out)
            if produced > expected {
                state = .stoppedEarly
                problems.add(.imageDataTooLong(expected: expected))
                return
            }
            switch status {
            case Z_STREAM_END:
                state = .ended
                if stream.avail_in > 0 {
                    reportedExtra = true
                    problems.add(.extraCompressedData(offset: chunkOffset))
                }
                return
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                // Z_NEED_DICT (PNG forbids preset dictionaries), Z_DATA_ERROR, Z_MEM_ERROR.
                state = .failed
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                problems.add(.compressedDataInvalid(offset: chunkOffset, message: message))
                return
            }
            // Go on while there is input left or the output buffer was filled (more may be pending).
            if stream.avail_in == 0 && stream.avail_out != 0 { return }
            if status == Z_BUF_ERROR { return }   // no progress possible
        }
    }

    /// Judges the stream once all IDAT chunks were fed. `inputComplete` is false when the file
    /// was cut short, which is reported elsewhere.
    func finish(inputComplete: Bool, problems: inout ProblemList) {
        switch state {
        case .ended:
            if produced < expected { problems.add(.imageDataTooShort(expected: expected, actual: produced)) }
        case .running:
            if inputComplete {
                problems.add(.compressedDataIncomplete)
            }
        case .failed, .stoppedEarly:
            break
        }
    }
}
