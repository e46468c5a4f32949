import ArgumentParser

/// How `record`, `proxy` and `drift` reach a server through libcurl: its limits and its TLS trust.
struct UpstreamOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Give up when connecting takes longer than this many seconds.", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(help: ArgumentHelp("Give up on a response when no byte arrives for this many seconds.", valueName: "seconds"))
    var idleTimeout: Double = 120

    @Option(help: ArgumentHelp("Trust this CA certificate file (PEM) for HTTPS.", valueName: "file"))
    var cacert: String?

    @Flag(help: "Do not verify the server's TLS certificate (any certificate is trusted: for test servers only).")
    var insecure = false

    var connect: Duration { .milliseconds(Int64(connectTimeout * 1000)) }
    var idle: Duration { .milliseconds(Int64(idleTimeout * 1000)) }
}

/// `-H 'Name: value'` lines, as curl takes them (`record` and `drift`).
enum HeaderLines {
    static func check(_ lines: [String]) throws {
        guard lines.allSatisfy({ $0.contains(":") }) else { throw ValidationError("-H takes 'Name: value'.") }
    }

    /// Each line as its name and value, spaces around both trimmed.
    static func pairs(_ lines: [String]) -> [(String, String)] {
        lines.map { line in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            let value = colon == line.endIndex ? "" : String(line[line.index(after: colon)...])
            return (String(line[..<colon]).trimmingCharacters(in: .whitespaces), value.trimmingCharacters(in: .whitespaces))
        }
    }
}
