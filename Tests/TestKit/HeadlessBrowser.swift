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
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(executable, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                                       "--user-data-dir=\(profile.path)"] + arguments, timeout: timeout)
        } catch let timedOut as ChildProcess.TimedOut {
            throw Failure(description: "chromium did not finish within \(Int(timedOut.seconds)) s")
        }
        let (output, errors) = (result.standardOutput, result.standardError)
        guard result.status == 0 else {
            throw Failure(description: "chromium exited with \(result.status): \(String(decoding: errors.suffix(2000), as: UTF8.self))")
        }
        return (output, errors)
    }
}
