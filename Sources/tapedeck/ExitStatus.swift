import ArgumentParser

/// The exit statuses every subcommand shares, so CI scripts can tell a finding from a breakage.
enum ExitStatus {
    /// The job ran and found nothing wrong.
    static let success = ExitCode(0)
    /// What was checked did not conform.
    static let nonConformant = ExitCode(1)
    /// The job could not run: unreadable input, a failed dependency, a broken environment.
    static let harnessFailure = ExitCode(2)
    /// The command line asks for something that cannot be (EX_USAGE, as argument parsing uses).
    static let usage = ExitCode.validationFailure
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    static let interrupted = ExitCode(130)
}
