import Foundation

/// Finds a folder of the checkout (Specs/, Cassettes/, Reports/schemas/): the nearest one
/// holding `marker` above the working directory, then above the executable (a checkout's
/// .build/release/tapedeck).
enum ProjectFolder {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        let option: String
        var description: String {
            "no \(name)/ folder above \(FileManager.default.currentDirectoryPath) or the tapedeck executable; name one with \(option)"
        }
    }

    static func nearest(_ relativePath: String, containing marker: String) -> String? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        for start in [FileManager.default.currentDirectoryPath, executable] {
            var directory = URL(fileURLWithPath: start)
            while true {
                let candidate = directory.appendingPathComponent(relativePath)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    static func find(_ relativePath: String, containing marker: String, option: String) throws(NotFound) -> String {
        guard let found = nearest(relativePath, containing: marker) else { throw NotFound(name: relativePath, option: option) }
        return found
    }
}
