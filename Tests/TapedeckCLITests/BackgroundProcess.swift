import Foundation

/// A long-running process (`tapedeck serve`, `tapedeck proxy`, a test HTTPS server) that
/// prints its URL on its first line; stopped when the test is done, its output kept to inspect.
final class BackgroundProcess {
    let process = Process()
    let url: String
    private let output = Pipe()
    private let errors = Pipe()
    /// Held open while the process should run: a server that watches its standard input ends
    /// when it closes, even when a signal reaches only a wrapper (such as a pyenv shim).
    private let input = Pipe()
    private var firstLine = Data()

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = TapedeckProcess.repositoryRoot
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            firstLine.append(byte)
        }
        url = String(decoding: firstLine, as: UTF8.self)
    }

    static func tapedeck(_ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess(TapedeckProcess.executable, arguments)
    }

    /// Stops the process (SIGTERM) and returns everything it printed: standard output (first
    /// line included) and standard error.
    func stop() -> (output: String, errors: String) {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: firstLine + Data([0x0A]) + rest, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
    }
}

/// Temporary folders and files for one test.
enum Scratch {
    static func folder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every regular file under `folder`, hidden ones and subfolders included.
    static func files(under folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }
}
