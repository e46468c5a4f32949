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
        if let found = ProjectFolder.nearest("Reports/schemas", containing: marker) { return found }
        throw UsageProblem("no Reports/schemas/ folder above \(FileManager.default.currentDirectoryPath) or the tapedeck executable; pass --schemas with the folder holding jenkins-junit-10.xsd and ant-junit.xsd")
    }
}
