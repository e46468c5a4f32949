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
