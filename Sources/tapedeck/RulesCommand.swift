import ArgumentParser
import ImageStreamSpec

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules Tapedeck checks: ID, level, statement and source.",
        discussion: """
        Without --surface or --dialect, every rule of every surface and dialect. With \
        --surface (and --dialect), the rules in force there, at the levels the dialect gives \
        them; rules a dialect switches off are shown as off. With --dialect alone, the rules in \
        force on each surface the dialect covers. An unknown surface or dialect is an error that \
        lists the known ones.

        Examples:
          tapedeck rules
          tapedeck rules --surface responses --dialect azure
          tapedeck rules --dialect apiyi
        """
    )

    @Option(help: ArgumentHelp("Only the rules of this surface: images.generate, images.edit or responses.", valueName: "id"))
    var surface: String?

    @OptionGroup var specOptions: SpecOptions

    func run() throws {
        let rules: [Rule]
        do {
            let catalog = try SpecsLocation.load(explicit: specOptions.specs)
            if let surface {
                rules = try catalog.resolve(surface: surface, dialect: specOptions.dialect).rules
            } else if let dialect = specOptions.explicitDialect {
                guard catalog.dialectIDs.contains(dialect) else { throw SpecLoadError.unknownDialect(dialect, known: catalog.dialectIDs) }
                var byID: [String: Rule] = [:]
                for covered in catalog.surfaces(ofDialect: dialect) {
                    for rule in try catalog.resolve(surface: covered, dialect: dialect).rules where byID[rule.id] == nil { byID[rule.id] = rule }
                }
                rules = byID.values.sorted { $0.id < $1.id }
            } else {
                rules = try catalog.allRules()
            }
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
