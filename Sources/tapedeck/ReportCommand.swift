import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Join the JSON reports of a sharded run, and check JUnit reports against the bundled schemas.",
        discussion: """
        A conformance suite split with `tapedeck run --shard K/N` leaves one JSON report per \
        shard; `report merge` joins them into the report of the whole run (and its JUnit XML). \
        `report check` proves a JUnit file loads in Jenkins and in Ant-style tools by validating \
        it against both XSDs in Reports/schemas/.

        Examples:
          tapedeck report merge shard-*/run.json --junit Reports/junit.xml
          tapedeck report check Reports/junit.xml
        """,
        subcommands: [ReportMergeCommand.self, ReportCheckCommand.self]
    )
}
