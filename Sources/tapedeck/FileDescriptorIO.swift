#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or standard input in chunks as they arrive: `read(2)` returns as soon as any
/// bytes are there, so a stream that never ends is processed as it goes.
struct ChunkReader: ~Copyable {
    let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]

    /// Opens `path`, or standard input for nil or "-".
    init(path: String?, chunkSize: Int = 64 * 1024) throws(InputError) {
        if let path, path != "-" {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw InputError(path: path, errno: errno) }
            var status = stat()
            if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw InputError(path: path, errno: EISDIR)
            }
            self.path = path
            self.descriptor = descriptor
            self.ownsDescriptor = true
        } else {
            self.path = "standard input"
            self.descriptor = STDIN_FILENO
            self.ownsDescriptor = false
        }
        self.buffer = Array(repeating: 0, count: chunkSize)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Calls `body` with each chunk until end of input.
    mutating func forEachChunk(_ body: (UnsafeBufferPointer<UInt8>) throws(OutputClosed) -> Void) throws(InputError) -> ReadOutcome {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .endOfInput }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, errno: errno)
            }
            do {
                try buffer.withUnsafeBufferPointer { bytes throws(OutputClosed) in
                    try body(UnsafeBufferPointer(rebasing: bytes[..<count]))
                }
            } catch {
                return .outputClosed
            }
        }
    }

    enum ReadOutcome { case endOfInput, outputClosed }
}

/// The input could not be read; says which and why.
struct InputError: Error, CustomStringConvertible {
    let path: String
    let errno: Int32

    var description: String {
        "cannot read \(path == "standard input" ? path : "'\(path)'"): \(String(cString: strerror(errno)))"
    }
}

/// Whoever reads our output has gone (a closed pipe, as with `| head`).
struct OutputClosed: Error {}

/// Buffers output and writes it to a file descriptor on `flush()`.
struct DescriptorWriter {
    private let descriptor: Int32
    var buffer: [UInt8] = []

    init(descriptor: Int32 = STDOUT_FILENO) {
        self.descriptor = descriptor
        // A closed pipe should end the command quietly, not kill it with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    mutating func flush() throws(OutputClosed) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw OutputClosed()
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: buffer.count <= 1 << 20)
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    var line = Array(message.utf8)
    line.append(0x0A)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
