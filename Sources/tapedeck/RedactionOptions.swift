import ArgumentParser
import Cassette
import Recorder

/// The redaction options `record` and `proxy` share.
struct RedactionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also redact every match of this regular expression (repeatable).", valueName: "regex"))
    var redact: [String] = []

    @Option(help: ArgumentHelp("Also redact every match of the regular expressions in this file: one per line, # starts a comment.", valueName: "file"))
    var redactConfig: String?

    /// The redactor for the built-in patterns, the file's and the command line's.
    func redactor() throws -> Redactor {
        let fromFile = try redactConfig.map { try RedactionConfig.patterns(inFile: $0) } ?? []
        return try Redactor(extraPatterns: fromFile + redact)
    }
}
