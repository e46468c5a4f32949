import Foundation

/// Finds the JUnit schemas (Reports/schemas/) the way ``SpecsLocation`` finds Specs/:
/// --schemas, then $TAPEDECK_SCHEMAS, then the nearest Reports/schemas/ above the working
/// directory, then the one above the executable (a checkout's .build/release/tapedeck).
enum SchemasLocation {
    static let marker = "ant-junit.xsd"

    static func folder(explicit: String?) throws -> String {
        if let explicit { return explicit }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TAPEDECK_SCHEMAS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        for start in [FileManager.default.currentDirectoryPath, executable] {
            if let found = nearestSchemas(above: start) { return found }
        }
        throw UsageProblem("no Reports/schemas/ folder above \(FileManager.default.currentDirectoryPath) or \(executable); pass --schemas with the folder holding jenkins-junit-10.xsd and ant-junit.xsd")
    }

    private static func nearestSchemas(above start: String) -> String? {
        var directory = URL(fileURLWithPath: start)
        while true {
            let candidate = directory.appendingPathComponent("Reports/schemas")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
