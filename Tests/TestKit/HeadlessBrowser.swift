import Foundation

/// Debian's chromium, run headless on a page from the file system.
public struct HeadlessBrowser: Sendable {
    public let executable: String

    /// The first chromium found on the usual paths, or nil.
    public static let installed: HeadlessBrowser? = {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipping the headless-browser test: no chromium found at \(candidates.joined(separator: ", ")); install it with `apt-get install -y chromium` (./scripts/test does)")
            return nil
        }
        return HeadlessBrowser(executable: path)
    }()

    /// The DOM after the page's scripts ran. `virtualTime` milliseconds of the page's own
    /// clock let its asynchronous work (fetches, event sources) finish before the dump.
    public func dumpDOM(of page: URL, virtualTime: Int? = nil) throws -> String {
        let budget = virtualTime.map { ["--virtual-time-budget=\($0)"] } ?? []
        return String(decoding: try run(budget + ["--dump-dom", page.absoluteString]).stdout, as: UTF8.self)
    }

    /// A PNG screenshot of the page in a window of the given size.
    public func screenshot(of page: URL, to file: URL, width: Int, height: Int) throws {
        _ = try run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", page.absoluteString])
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs chromium with its own throw-away profile, killing it after `timeout` seconds.
    private func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> (stdout: Data, stderr: Data) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)"] + arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes while it runs so that a full pipe cannot stall it.
        nonisolated(unsafe) var output = Data(), errors = Data()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { output = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { errors = stderr.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "chromium did not finish within \(Int(timeout)) s")
        }
        readers.wait()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited with \(process.terminationStatus): \(String(decoding: errors.suffix(2000), as: UTF8.self))")
        }
        return (output, errors)
    }
}
