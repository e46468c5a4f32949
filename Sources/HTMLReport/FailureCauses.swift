import Reports

/// Scenarios that did not pass, grouped by cause (`FailureCause`): fifty failures of one client
/// usually come from a handful of causes; each is read once.
struct CauseGroup {
    /// What the page's cause filter matches (`data-cause`): `FailureCause.name`.
    var name: String
    var rule: String
    var statement: String
    var condition: String
    var verdict: String
    var count: Int
    var scenarios: [CauseScenario]
    var scenariosLeftOut: Int
    var hasScenariosLeftOut = false
    /// The anchor of the one scenario shown open, "" when none of them has a section.
    var exampleAnchor: String
    var hasExample = false
    /// A fragment that filters the page to these scenarios (by the cause's data attribute).
    var filter: String

    mutating func setFlags() {
        hasScenariosLeftOut = scenariosLeftOut > 0
        hasExample = !exampleAnchor.isEmpty
    }
}

struct CauseScenario {
    var id: String
    var link: String
}

enum FailureCauses {
    /// How many scenario links a group lists before saying how many more it covers.
    static let listedPerGroup = 12

    /// The groups of `FailureCause.grouped`, as the page shows them; `anchors` maps a scenario
    /// ID to its section's anchor when the page has one.
    static func groups(_ results: [ScenarioResult], anchors: [String: String]) -> [CauseGroup] {
        FailureCause.grouped(results).map { cause, scenarios in
            var group = CauseGroup(
                name: cause.name, rule: cause.rule, statement: cause.statement, condition: cause.condition, verdict: scenarios[0].verdict.rawValue,
                count: scenarios.count,
                scenarios: scenarios.prefix(listedPerGroup).map { CauseScenario(id: $0.id, link: link(to: $0.id, anchors: anchors)) },
                scenariosLeftOut: max(0, scenarios.count - listedPerGroup),
                exampleAnchor: scenarios.lazy.compactMap { anchors[$0.id] }.first ?? "",
                filter: "cause=\(percentEncoded(cause.name))")
            group.setFlags()
            return group
        }
    }

    /// The scenario's section when it has one, else the page filtered to its ID.
    static func link(to id: String, anchors: [String: String]) -> String {
        anchors[id].map { "#\($0)" } ?? "#id=\(percentEncoded(id))"
    }

    /// Percent-encodes all but unreserved characters, as the page's script decodes fragments.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
