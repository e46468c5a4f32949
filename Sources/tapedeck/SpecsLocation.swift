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
        if let found = ProjectFolder.nearest("Specs", containing: "common.yaml") { return try SpecCatalog.load(from: found) }
        throw .notASpecsFolder("no Specs/ folder above \(FileManager.default.currentDirectoryPath) or the tapedeck executable;")
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
