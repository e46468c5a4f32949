import ArgumentParser
import ImageStreamSpec

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules Tapedeck checks: ID, level, statement and source.",
        discussion: """
        Without --surface, every rule of every surface and dialect. With --surface (and \
        --dialect), the rules in force there, at the levels the dialect gives them; rules a \
        dialect switches off are shown as off.

        Examples:
          tapedeck rules
          tapedeck rules --surface responses --dialect azure
        """
    )

    @Option(help: ArgumentHelp("Only the rules of this surface: images.generate, images.edit or responses.", valueName: "id"))
    var surface: String?

    @OptionGroup var specOptions: SpecOptions

    func run() throws {
        let rules: [Rule]
        do {
            let catalog = try SpecsLocation.load(explicit: specOptions.specs)
            rules = try surface.map { try catalog.resolve(surface: $0, dialect: specOptions.dialect).rules } ?? catalog.allRules()
        } catch {
            printError("tapedeck rules: \(error)")
            throw ExitStatus.harnessFailure
        }
        let width = rules.map(\.id.count).max() ?? 0
        for rule in rules {
            let id = rule.id + String(repeating: " ", count: width - rule.id.count)
            let level = rule.level.rawValue + String(repeating: " ", count: 6 - rule.level.rawValue.count)
            print("\(id)  \(level)  \(rule.statement)")
            print(String(repeating: " ", count: width + 10) + "source: \(rule.source)")
        }
    }
}
