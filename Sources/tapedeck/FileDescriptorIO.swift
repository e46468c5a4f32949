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

/// Buffers output for a file descriptor. Large pieces go straight to `write(2)` from where
/// they are, so a 30 MB payload is never copied into the buffer.
struct DescriptorWriter {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferLimit = 64 * 1024

    init(descriptor: Int32 = STDOUT_FILENO) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.bufferLimit)
        // A closed pipe should end the command quietly, not kill it with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    mutating func append(_ byte: UInt8) throws(OutputClosed) {
        buffer.append(byte)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) throws(OutputClosed) {
        if bytes.count >= Self.bufferLimit {
            try flush()
            try Self.write(bytes, to: descriptor)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    mutating func append(contentsOf bytes: some Sequence<UInt8>) throws(OutputClosed) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    mutating func flush() throws(OutputClosed) {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBufferPointer { bytes throws(OutputClosed) in try Self.write(bytes, to: descriptor) }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) throws(OutputClosed) {
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw OutputClosed()
            }
            written += result
        }
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    var line = Array(message.utf8)
    line.append(0x0A)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
