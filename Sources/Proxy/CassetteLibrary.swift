import Cassette
import Foundation
import Synchronization

/// The cassettes of the proxy's folder, by request fingerprint: those found at start, and
/// each recorded since, shared by every connection.
final class CassetteLibrary: Sendable {
    let folder: String
    /// Whether the folder held no cassette when the proxy started (`once` records only then).
    let startedEmpty: Bool
    private let byFingerprint: Mutex<[String: Cassette]>

    init(folder: String) throws(CassetteError) {
        self.folder = folder
        let found = FileManager.default.fileExists(atPath: folder) ? try Cassette.loadAll(in: folder) : []
        var index: [String: Cassette] = [:]
        // loadAll sorts by name, so of two cassettes of one request the first name wins.
        for cassette in found where index[cassette.request.fingerprint] == nil {
            index[cassette.request.fingerprint] = cassette
        }
        startedEmpty = found.isEmpty
        byFingerprint = Mutex(index)
    }

    func cassette(for request: RecordedRequest) -> Cassette? {
        let key = request.fingerprint
        return byFingerprint.withLock { $0[key] }
    }

    func cassette(named name: String) -> Cassette? {
        byFingerprint.withLock { index in index.values.first { $0.name == name } }
    }

    var all: [Cassette] {
        byFingerprint.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Writes the cassette into the folder (atomically, blobs first) and serves it from now on.
    func add(_ cassette: Cassette) throws(CassetteError) -> String {
        let path = folder + "/" + cassette.name + Cassette.fileExtension
        try cassette.save(to: path)
        let key = cassette.request.fingerprint
        byFingerprint.withLock { $0[key] = cassette }
        return path
    }
}
