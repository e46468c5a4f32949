internal import AtomicFiles
internal import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation: what was attempted and the system's reason.
struct FileSystemError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    var isNotFound: Bool { code == ENOENT }
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

/// The few file operations cassettes need, done with POSIX calls so a payload goes from the
/// disk to its final buffer, and from its buffer to the disk, without a copy in between.
enum FileSystem {
    /// The whole file.
    static func read(_ path: String) throws(FileSystemError) -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path)
        defer { close(descriptor) }
        return try readFully(descriptor, count: size)
    }

    /// Opens `path` for reading, refusing anything but a regular file; returns its size too.
    private static func openRegularFile(_ path: String) throws(FileSystemError) -> (descriptor: Int32, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError("open") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let failure = FileSystemError("stat")
            close(descriptor)
            throw failure
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw FileSystemError("open", code: EISDIR)
        }
        return (descriptor, Int(status.st_size))
    }

    private static func readFully(_ descriptor: Int32, count: Int) throws(FileSystemError) -> [UInt8] {
        var failure: FileSystemError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(FileSystemError) {
                initialized = try readUpTo(descriptor, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads until `buffer` is full or the file ends; returns how many bytes were read.
    static func readUpTo(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(FileSystemError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read")
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Reads the file at `path` into `buffer` when it is exactly `buffer.count` bytes long.
    /// - Returns: the file's size (or, if it shrank while being read, the bytes read): equal
    ///   to `buffer.count` exactly when the buffer now holds the file.
    static func read(_ path: String, into buffer: UnsafeMutableRawBufferPointer) throws(FileSystemError) -> Int {
        let (descriptor, size) = try openRegularFile(path)
        defer { close(descriptor) }
        guard size == buffer.count else { return size }
        return try readUpTo(descriptor, into: buffer)
    }

    /// The size of a regular file, or nil when there is none at `path`.
    static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates the folder and any missing parents.
    static func createDirectory(_ path: String) throws(FileSystemError) {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        guard !isDirectory(path) else { return }
        let parent = split(path).folder
        if parent != path, !isDirectory(parent) { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw FileSystemError("create folder \(path)") }
    }

    /// The names of the entries in a folder.
    static func list(_ path: String) throws(FileSystemError) -> [String] {
        guard isDirectory(path) else { throw FileSystemError("open folder", code: FileManager.default.fileExists(atPath: path) ? ENOTDIR : ENOENT) }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw FileSystemError("list folder", code: EACCES)
        }
    }

    /// Writes `pieces` to `path` atomically and durably (`AtomicFile`).
    static func writeAtomically(
        _ pieces: [UnsafeRawBufferPointer],
        to path: String,
        beforeRename: (String) -> Void = { _ in }
    ) throws(FileSystemError) {
        do {
            try AtomicFile.write(pieces, to: path, beforeRename: beforeRename)
        } catch {
            throw FileSystemError(error.operation, code: error.code)
        }
    }

    static func split(_ path: String) -> (folder: String, name: String) { FilePaths.split(path) }
    static func join(_ folder: String, _ name: String) -> String { FilePaths.join(folder, name) }
}

/// `read(2)`, named apart from `FileSystem.read`.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Base64 for bodies that are not UTF-8.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
