import Foundation
import Yams

/// Every surface and dialect in a Specs/ folder, read at run time so a gateway's quirks can be
/// added without recompiling.
public struct SpecCatalog: Sendable {
    public let directory: String
    let common: LoadedFile
    let surfaces: [String: LoadedFile]
    let dialects: [String: LoadedFile]

    struct LoadedFile: Sendable {
        let path: String
        let spec: SpecFile
    }

    public static let defaultDialect = "openai"

    public var surfaceIDs: [String] { surfaces.keys.sorted() }
    public var dialectIDs: [String] { dialects.keys.sorted() }

    /// The surfaces a dialect overlays.
    public func surfaces(ofDialect dialect: String) -> [String] {
        dialects[dialect]?.spec.surfaces ?? []
    }

    /// Reads `common.yaml`, `surfaces/*.yaml` and `dialects/*.yaml` from `directory`.
    public static func load(from directory: String) throws(SpecLoadError) -> SpecCatalog {
        let commonPath = directory + "/common.yaml"
        guard FileManager.default.fileExists(atPath: commonPath) else { throw .notASpecsFolder(directory) }
        let common = try read(commonPath, expecting: .common)
        var surfaces: [String: LoadedFile] = [:]
        for path in try yamlFiles(in: directory + "/surfaces") {
            let file = try read(path, expecting: .surface)
            guard let id = file.spec.surface else { throw .invalid(path: path, reason: "a surface file needs `surface: ID`") }
            guard surfaces[id] == nil else { throw .invalid(path: path, reason: "surface \(id) is defined twice") }
            surfaces[id] = file
        }
        var dialects: [String: LoadedFile] = [:]
        for path in try yamlFiles(in: directory + "/dialects") {
            let file = try read(path, expecting: .dialect)
            guard let id = file.spec.dialect else { throw .invalid(path: path, reason: "a dialect file needs `dialect: ID`") }
            guard dialects[id] == nil else { throw .invalid(path: path, reason: "dialect \(id) is defined twice") }
            for surface in file.spec.surfaces ?? [] where surfaces[surface] == nil {
                throw .invalid(path: path, reason: "dialect \(id) names surface \(surface), which no file in surfaces/ defines")
            }
            dialects[id] = file
        }
        let catalog = SpecCatalog(directory: directory, common: common, surfaces: surfaces, dialects: dialects)
        try catalog.checkRules()
        return catalog
    }

    /// The rules and schemas of `surface` with `dialect` laid over it.
    public func resolve(surface: String, dialect: String = SpecCatalog.defaultDialect) throws(SpecLoadError) -> ResolvedSpec {
        guard let surfaceFile = surfaces[surface] else { throw .unknownSurface(surface, known: surfaceIDs) }
        guard let dialectFile = dialects[dialect] else { throw .unknownDialect(dialect, known: dialectIDs) }
        guard dialectFile.spec.surfaces?.contains(surface) == true else {
            throw .dialectDoesNotCover(dialect: dialect, surface: surface, covers: dialectFile.spec.surfaces ?? [])
        }
        return try ResolvedSpec(common: common, surface: surfaceFile, dialect: dialectFile)
    }

    /// Every rule of every surface and dialect, once each, for listings.
    public func allRules() throws(SpecLoadError) -> [Rule] {
        var rules: [String: Rule] = [:]
        for dialect in dialectIDs {
            for surface in surfaces(ofDialect: dialect) {
                for rule in try resolve(surface: surface, dialect: dialect).rules where rules[rule.id] == nil || dialect == Self.defaultDialect {
                    rules[rule.id] = rule
                }
            }
        }
        return rules.values.sorted { $0.id < $1.id }
    }

    private func checkRules() throws(SpecLoadError) {
        var seen: [String: String] = [:]
        for file in [common] + surfaces.values.sorted(by: { $0.path < $1.path }) + dialects.values.sorted(by: { $0.path < $1.path }) {
            for entry in file.spec.rules ?? [] {
                if let check = entry.check {
                    guard Check.named(check) != nil else {
                        throw .invalid(path: file.path, reason: "rule \(entry.id) names check `\(check)`, which does not exist; known checks: \(Check.all.map(\.name).sorted().joined(separator: ", "))")
                    }
                    if let other = seen[entry.id], file.spec.kind != .dialect {
                        throw .invalid(path: file.path, reason: "rule \(entry.id) is also defined in \(other)")
                    }
                    seen[entry.id] = file.path
                }
            }
        }
    }

    private static func yamlFiles(in directory: String) throws(SpecLoadError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory + "/" + $0 }
    }

    private static func read(_ path: String, expecting kind: SpecFile.Kind) throws(SpecLoadError) -> LoadedFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path) }
        let spec: SpecFile
        do {
            spec = try YAMLDecoder().decode(SpecFile.self, from: text)
        } catch {
            throw .invalid(path: path, reason: describe(error))
        }
        guard spec.format == SpecFile.supportedFormat else {
            throw .invalid(path: path, reason: "format is `\(spec.format)`; this version of Tapedeck reads `\(SpecFile.supportedFormat)`")
        }
        guard spec.kind == kind else { throw .invalid(path: path, reason: "kind is `\(spec.kind.rawValue)`, expected `\(kind.rawValue)` in this folder") }
        return LoadedFile(path: path, spec: spec)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "at \(path(context.codingPath)): missing key `\(key.stringValue)`"
        default:
            return String(describing: error)
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Specs/ could not be used; each case says which file and what to fix.
public enum SpecLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    case notASpecsFolder(String)
    case unreadable(String)
    case invalid(path: String, reason: String)
    case unknownSurface(String, known: [String])
    case unknownDialect(String, known: [String])
    case dialectDoesNotCover(dialect: String, surface: String, covers: [String])

    public var description: String {
        switch self {
        case .notASpecsFolder(let directory):
            "\(directory) is not a Specs folder (it has no common.yaml); pass --specs with the path of Tapedeck's Specs/"
        case .unreadable(let path):
            "cannot read \(path)"
        case .invalid(let path, let reason):
            "\(path): \(reason)"
        case .unknownSurface(let surface, let known):
            "unknown surface `\(surface)`; known surfaces: \(known.joined(separator: ", "))"
        case .unknownDialect(let dialect, let known):
            "unknown dialect `\(dialect)`; known dialects: \(known.joined(separator: ", "))"
        case .dialectDoesNotCover(let dialect, let surface, let covers):
            "dialect `\(dialect)` does not cover surface `\(surface)`; it covers \(covers.joined(separator: ", "))"
        }
    }
}

extension SpecCatalog {
    /// The surface whose endpoint (in `surfaces/*.yaml`) a request's method and path match: the
    /// endpoint's path itself, or its route after the version prefix at the end of a longer
    /// path (a gateway's `/api/v1/images/generations`, Azure's `/openai/deployments/x/images/edits`).
    /// The query is ignored. Nil when no surface answers there.
    public func surface(method: String, path: String) -> String? {
        let route = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        for id in surfaceIDs {
            for endpoint in surfaces[id]?.spec.endpoints ?? [] where endpoint.method.uppercased() == method.uppercased() {
                let tail = endpoint.path.hasPrefix("/v1/") ? String(endpoint.path.dropFirst(3)) : endpoint.path
                if route == endpoint.path || route.hasSuffix(tail) { return id }
            }
        }
        return nil
    }
}
