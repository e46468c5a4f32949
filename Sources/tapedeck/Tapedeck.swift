import ArgumentParser

@main
struct Tapedeck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapedeck",
        abstract: "Record, check, replay and fuzz streaming image-generation APIs (Server-Sent Events).",
        discussion: """
        Tapedeck makes OpenAI-style image streaming testable: partial-image previews over \
        Server-Sent Events, then the final image, from OpenAI and from the gateways that copy it.

        Exit status: 0 when the job ran and found nothing wrong, 1 when what was checked did \
        not conform, 2 when the job itself could not run, 64 for a usage error.
        """,
        version: TapedeckVersion.current,
        subcommands: [RunCommand.self, SessionCommand.self, EventsCommand.self, ValidateCommand.self, RulesCommand.self, ReportCommand.self, ServeCommand.self, RecordCommand.self, ProxyCommand.self, DriftCommand.self, CassetteCommand.self, BenchCommand.self, VersionCommand.self]
    )
}
