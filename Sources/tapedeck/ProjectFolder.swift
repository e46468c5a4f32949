import Foundation

/// Finds a folder of the checkout (Cassettes/, Reports/schemas/…): the nearest one above the
/// working directory, then above the executable (a checkout's .build/release/tapedeck).
enum ProjectFolder {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        var description: String {
            "no \(name)/ folder above \(FileManager.default.currentDirectoryPath) or the tapedeck executable; name one with an option"
        }
    }

    static func find(_ name: String, containing marker: String) throws(NotFound) -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        for start in [FileManager.default.currentDirectoryPath, executable] {
            var directory = URL(fileURLWithPath: start)
            while true {
                let candidate = directory.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw NotFound(name: name)
    }
}
