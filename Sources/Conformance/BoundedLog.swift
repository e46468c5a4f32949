import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client's output, kept within a bound: a pipe the client writes to, copied into a file by a
/// thread of its own. The first `headLimit` bytes are written as they come; after that only the
/// last `tailLimit` are held, and written with a line saying how much was cut between. A client
/// that prints a gigabyte costs the run a megabyte.
final class BoundedLog: @unchecked Sendable {
    static let headLimit = 512 << 10
    static let tailLimit = 512 << 10

    let path: String
    /// The end the client writes to; ChildProcess closes the runner's copy once it has started.
    let pipe = Pipe()
    private let file: FileHandle
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopRequested = false
    private var finished = false
    private var written = 0
    private var tail: [UInt8] = []
    private var cut = 0

    init(path: String) throws(HarnessError) {
        self.path = path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw .io("cannot create \(path)") }
        self.file = file
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        Thread.detachNewThread { [self] in
            copy(from: descriptor)
            done.signal()
        }
    }

    /// Reads until every writer has closed the pipe, or until `finish` says to stop.
    private func copy(from descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready == 0 {
                if lock.withLock({ stopRequested }) { return }
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            keep(buffer[..<count])
        }
    }

    private func keep(_ bytes: ArraySlice<UInt8>) {
        var bytes = bytes
        if written < Self.headLimit {
            let head = bytes.prefix(Self.headLimit - written)
            file.write(Data(head))
            written += head.count
            bytes = bytes.dropFirst(head.count)
        }
        guard !bytes.isEmpty else { return }
        tail += bytes
        if tail.count > Self.tailLimit {
            let excess = tail.count - Self.tailLimit
            cut += excess
            tail.removeFirst(excess)
        }
    }

    /// Waits (at most `grace` seconds) for the output still in the pipe, then writes the kept
    /// tail and closes the file. Call once the client has exited or been killed; later calls do nothing.
    func finish(grace: Double = 2) {
        let first = lock.withLock {
            defer { finished = true }
            return !finished
        }
        guard first else { return }
        try? pipe.fileHandleForWriting.close()
        if done.wait(timeout: .now() + grace) == .timedOut {
            // A descendant still holds the pipe open: stop reading it.
            lock.withLock { stopRequested = true }
            done.wait()
        }
        if cut > 0 {
            file.write(Data("\n… [tapedeck: \(cut) bytes of output cut here; the log keeps the first \(Self.headLimit) and the last \(Self.tailLimit)] …\n".utf8))
        }
        file.write(Data(tail))
        try? file.close()
        try? pipe.fileHandleForReading.close()
    }
}
