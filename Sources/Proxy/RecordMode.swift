/// When the proxy records and when it replays, as vcrpy's record modes, with the cassette
/// folder in the role of vcrpy's cassette file.
public enum RecordMode: String, CaseIterable, Sendable {
    /// The folder is recorded once: into a folder that held no cassettes when the proxy
    /// started, every new request is recorded (and replayed when it comes again); a folder that
    /// held cassettes is finished, so a request none of them matches is refused, as with `none`.
    case once
    /// Replay the requests a cassette matches; record the others.
    case newEpisodes = "new-episodes"
    /// Replay only; a request no cassette matches gets an error naming the nearest cassette.
    case none
    /// Record every request, replacing the cassette a request already had.
    case all
}
