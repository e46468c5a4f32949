import ArgumentParser
import Reports

struct ReportCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate JUnit XML reports against the Jenkins junit-10 and Ant JUnit schemas.",
        discussion: """
        Each FILE is checked with libxml2's XSD validator against both schemas Tapedeck bundles \
        in Reports/schemas/ (see the README there for what each is): the lenient shape Jenkins' \
        xUnit plugin reads, and the strict one of Ant's junitreport. A report that passes both \
        loads in the CI servers that read either. Every problem is printed with its line.

        The schemas are found with --schemas, else $TAPEDECK_SCHEMAS, else the nearest \
        Reports/schemas/ above the working directory or above the executable.

        Exit 0 when every file is valid against both, 1 when one is not, 2 when a file or a \
        schema cannot be read.

        Example:
          tapedeck report check Reports/junit.xml
        """
    )

    @Argument(help: ArgumentHelp("JUnit XML reports.", valueName: "file.xml"))
    var files: [String]

    @Option(help: ArgumentHelp("The folder holding jenkins-junit-10.xsd and ant-junit.xsd.", valueName: "folder"))
    var schemas: String?

    func run() throws {
        var allValid = true
        do {
            let validators = try JUnitSchemaValidator.bundled(in: try SchemasLocation.folder(explicit: schemas))
            for file in files {
                for (schema, validator) in validators {
                    let problems = try validator.problems(inFile: file)
                    allValid = allValid && problems.isEmpty
                    print("\(file): \(problems.isEmpty ? "valid" : "invalid") against \(schema.title) (\(schema.rawValue))")
                    for problem in problems.prefix(20) { print("  \(problem)") }
                    if problems.count > 20 { print("  … and \(problems.count - 20) more") }
                }
            }
        } catch {
            printError("tapedeck report check: \(error)")
            throw ExitStatus.harnessFailure
        }
        if !allValid { throw ExitStatus.nonConformant }
    }
}
