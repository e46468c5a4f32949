import ArgumentParser
import Foundation
import ImageStreamSpec

/// Finds Specs/: --specs, then $TAPEDECK_SPECS, then the nearest Specs/ above the working
/// directory, then the one above the executable (a checkout's .build/release/tapedeck).
enum SpecsLocation {
    static func load(explicit: String?) throws(SpecLoadError) -> SpecCatalog {
        if let explicit { return try SpecCatalog.load(from: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TAPEDECK_SPECS"], !fromEnvironment.isEmpty {
            return try SpecCatalog.load(from: fromEnvironment)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        for start in [FileManager.default.currentDirectoryPath, executable] {
            if let found = nearestSpecs(above: start) { return try SpecCatalog.load(from: found) }
        }
        throw .notASpecsFolder("no Specs/ folder above \(FileManager.default.currentDirectoryPath) or \(executable);")
    }

    private static func nearestSpecs(above start: String) -> String? {
        var directory = URL(fileURLWithPath: start)
        while true {
            let candidate = directory.appendingPathComponent("Specs")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("common.yaml").path) { return candidate.path }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}

/// Options every command that reads Specs/ shares.
struct SpecOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Specs folder to read surfaces, dialects and rules from (default: $TAPEDECK_SPECS, else the nearest Specs/ above here or above the executable).", valueName: "folder"))
    var specs: String?

    @Option(name: .customLong("dialect"), help: ArgumentHelp("The dialect laid over the surface: openai (the default; a cassette's own for cassettes), azure, aiswing, gateway, apiyi, or one you add to Specs/dialects/.", valueName: "id"))
    var explicitDialect: String?

    /// The dialect asked for, or the default one.
    var dialect: String { explicitDialect ?? SpecCatalog.defaultDialect }
}
