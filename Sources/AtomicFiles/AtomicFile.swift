#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole file so that readers see the old content or the new, never half of it, and
/// a crash right after leaves the new one on disk: the bytes go to a hidden temporary file
/// beside the target, are flushed (fsync), and the file is renamed over the target, whose folder
/// is flushed too. One place for cassettes, blobs and every report.
public enum AtomicFile {
    /// Writes `pieces` in order to `path`. A writer killed midway leaves only a hidden
    /// `.NAME.tmp-PID-…` file that no loader picks up, and the next write of `path` deletes it
    /// once process PID is gone. `createFolders` makes the missing folders first;
    /// `beforeRename` sees the temporary file's path once it is complete.
    public static func write(
        _ pieces: [UnsafeRawBufferPointer],
        to path: String,
        createFolders: Bool = false,
        beforeRename: (String) -> Void = { _ in }
    ) throws(AtomicFileError) {
        let (folder, name) = FilePaths.split(path)
        if createFolders { try makeFolders(folder) }
        removeAbandonedTemporaries(of: name, in: folder)
        let temporary = FilePaths.join(folder, ".\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError("create \(temporary)") }
        var committed = false
        defer { if !committed { unlink(temporary) } }
        do throws(AtomicFileError) {
            for piece in pieces {
                var written = 0
                while written < piece.count {
                    let count = systemWrite(descriptor, piece.baseAddress! + written, piece.count - written)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw AtomicFileError("write \(temporary)")
                    }
                    written += count
                }
            }
            guard fsync(descriptor) == 0 else { throw AtomicFileError("fsync \(temporary)") }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw AtomicFileError("close \(temporary)") }
        beforeRename(temporary)
        guard rename(temporary, path) == 0 else { throw AtomicFileError("rename \(temporary) to \(path)") }
        committed = true
        // Make the rename itself durable.
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Writes `bytes` to `path`, creating its folders.
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        var failure: AtomicFileError?
        bytes.withUnsafeBytes { raw in
            do throws(AtomicFileError) {
                try write([raw], to: path, createFolders: true)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Deletes the temporary files of `name` left by writers that were killed: those whose
    /// process no longer exists. A live writer's file is left alone.
    static func removeAbandonedTemporaries(of name: String, in folder: String) {
        let prefix = ".\(name).tmp-"
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var abandoned: [String] = []
        while let entry = readdir(directory) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix),
                  let pid = Int32(entryName.dropFirst(prefix.count).prefix { $0 != "-" }), pid > 0 else { continue }
            if kill(pid, 0) == -1, errno == ESRCH { abandoned.append(entryName) }
        }
        for entryName in abandoned { unlink(FilePaths.join(folder, entryName)) }
    }

    /// Makes `folder` and its missing parents (as `mkdir -p`).
    static func makeFolders(_ folder: String) throws(AtomicFileError) {
        var path = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0, errno != EEXIST { throw AtomicFileError("create the folder \(path)") }
        }
    }
}

/// Paths as the file operations split and join them: plain strings, `/` between parts.
public enum FilePaths {
    /// The folder holding `path` ("." for a bare name) and the last component.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = path[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
    }

    public static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// `write(2)`, named apart from `AtomicFile.write`.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

/// A failed step of an atomic write: what was attempted and the system's reason.
public struct AtomicFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
