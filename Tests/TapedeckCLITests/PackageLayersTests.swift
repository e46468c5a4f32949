import Foundation
import Testing

/// The layers Package.swift's header draws are the layers the code has: every target's imports
/// are among its arrows (or the platform's own modules), and every target has a line.
@Suite("Package layers")
struct PackageLayersTests {
    /// Modules any target may import: the platform's, not a layer of ours.
    static let platform: Set<String> = ["Foundation", "Glibc", "Darwin", "Musl", "Dispatch", "Synchronization", "_Concurrency"]
    /// Names the header uses for a package of several modules, and their modules' prefix.
    static let families: [String: String] = ["SwiftNIO": "NIO"]

    /// `target -> allowed modules`, read from the header's `//   Name -> A, B (and C for …)` lines.
    static func arrows() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: TapedeckProcess.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        var arrows: [String: Set<String>] = [:]
        for line in manifest.split(separator: "\n") where line.hasPrefix("//   ") && line.contains("->") {
            let sides = line.dropFirst(5).components(separatedBy: "->")
            let target = sides[0].split(separator: " ").first.map(String.init) ?? ""
            // "(and Foundation for JSON)" names modules too; other words in parentheses do not matter.
            let words = sides[1].replacingOccurrences(of: "(", with: ",").replacingOccurrences(of: ")", with: ",")
                .split(whereSeparator: { ", ".contains($0) }).map(String.init)
            arrows[target] = Set(words.filter { $0.first?.isUppercase == true })
        }
        return arrows
    }

    /// The modules a target's Swift files import.
    static func imports(of target: String) throws -> Set<String> {
        let folder = TapedeckProcess.repositoryRoot.appendingPathComponent("Sources/\(target)")
        var found: Set<String> = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let at = words.firstIndex(of: "import"), words[..<at].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "package"].contains($0) }),
                      at + 1 < words.count else { continue }
                found.insert(String(words[at + 1]))
            }
        }
        return found
    }

    @Test("Every import of every target is an arrow of the header (or the platform's)")
    func importsFollowTheHeader() throws {
        let arrows = try Self.arrows()
        let targets = try FileManager.default.contentsOfDirectory(atPath: TapedeckProcess.repositoryRoot.appendingPathComponent("Sources").path).sorted()
        var strays: [String] = []
        for target in targets {
            let imports = try Self.imports(of: target)
            if imports.isEmpty { continue }   // a C library's module map
            let allowed = try #require(arrows[target] ?? (target == "tapedeck" ? arrows["tapedeck"] : nil), "Package.swift's header has no line for \(target)")
            for module in imports.sorted() where !Self.platform.contains(module) && !allowed.contains(module) {
                if allowed.contains(where: { Self.families[$0].map(module.hasPrefix) == true }) { continue }
                strays.append("\(target) imports \(module)")
            }
        }
        #expect(strays.isEmpty, "arrows the header does not draw: \(strays.joined(separator: "; "))")
    }

    @Test("The test reads what it claims: a known arrow is found, and a stray one would be caught")
    func readsTheHeader() throws {
        let arrows = try Self.arrows()
        #expect(arrows["SSEWire"] != nil)
        #expect(arrows["MockServer"]?.contains("Delivery") == true)
        #expect(arrows["Delivery"]?.contains("MockServer") == false, "the wire and delivery layers know nothing of the server")
        #expect(try Self.imports(of: "MockServer").contains("NIOCore"))
        #expect(try Self.imports(of: "SSEWire").subtracting(Self.platform).isEmpty, "the SSE wire layer imports nothing of ours")
    }
}
