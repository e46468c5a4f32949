import Reports

/// Scenarios that did not pass, grouped by cause: the rule that failed first (or the harness
/// error) under the condition the scenario set up (its faults, or its rewrites such as `eol=cr`).
/// Fifty failures of one client usually come from a handful of causes; each is read once.
struct CauseGroup {
    /// What the page's cause filter matches (`data-cause`).
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

    /// The cause of a result that did not pass, as a stable key; nil for a pass or a skip.
    static func key(of result: ScenarioResult) -> (rule: String, statement: String, condition: String)? {
        guard result.verdict != .pass, result.verdict != .skipped else { return nil }
        let rule: String, statement: String
        if let violation = result.violations.first(where: { $0.level == "MUST" }) ?? result.violations.first {
            (rule, statement) = (violation.ruleID, violation.statement)
        } else {
            rule = result.verdict == .error ? "harness error" : result.verdict.rawValue
            statement = (result.reason ?? "").split(separator: "\n").first.map(String.init) ?? ""
        }
        return (rule, statement, condition(of: result))
    }

    /// The faults by kind (parameters dropped: `close-after-event:2` is `close-after-event`),
    /// then the scenario's rewrites; "as recorded" when it set up neither. How the stream was
    /// cut and seeded, which images and which shape (documented or live) are left out: a
    /// client that ignores error events does so in every one of them.
    static func condition(of result: ScenarioResult) -> String {
        let faults = result.faults.map { fault in
            String(fault.prefix { $0 != ":" && $0 != "@" })
        }
        let planning: Set<Substring> = ["chunking", "seed", "images", "time-scale", "fault", "default", "shape"]
        let rewrites = result.scenario.split(separator: ",").filter { part in
            !planning.contains(part.prefix { $0 != "=" })
        }.map(String.init)
        let parts = faults + rewrites
        return parts.isEmpty ? "as recorded" : parts.joined(separator: " + ")
    }

    /// The groups, largest first (ties in order of first appearance); `anchors` maps a
    /// scenario ID to its section's anchor when the page has one.
    static func groups(_ results: [ScenarioResult], anchors: [String: String]) -> [CauseGroup] {
        var order: [String] = []
        var members: [String: [ScenarioResult]] = [:]
        var keys: [String: (rule: String, statement: String, condition: String)] = [:]
        for result in results {
            guard let key = key(of: result) else { continue }
            let name = Self.name(key)
            if members[name] == nil { order.append(name); keys[name] = key }
            members[name, default: []].append(result)
        }
        let ranked = order.enumerated().sorted { a, b in
            let (left, right) = (members[a.element]!.count, members[b.element]!.count)
            return left != right ? left > right : a.offset < b.offset
        }.map(\.element)
        return ranked.map { name in
            let key = keys[name]!, scenarios = members[name]!
            var group = CauseGroup(
                name: name, rule: key.rule, statement: key.statement, condition: key.condition, verdict: scenarios[0].verdict.rawValue,
                count: scenarios.count,
                scenarios: scenarios.prefix(listedPerGroup).map { CauseScenario(id: $0.id, link: link(to: $0.id, anchors: anchors)) },
                scenariosLeftOut: max(0, scenarios.count - listedPerGroup),
                exampleAnchor: scenarios.lazy.compactMap { anchors[$0.id] }.first ?? "",
                filter: "cause=\(percentEncoded(name))")
            group.setFlags()
            return group
        }
    }

    /// The value of a scenario's `data-cause` attribute, which the page's cause filter matches.
    static func name(_ key: (rule: String, statement: String, condition: String)) -> String {
        "\(key.rule) under \(key.condition)"
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
