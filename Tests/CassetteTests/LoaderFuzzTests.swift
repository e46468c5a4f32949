import Foundation
import Testing
import TestKit
@testable import Cassette

/// Structure-aware fuzzing of the loader: a saved cassette with its fields replaced by hostile
/// values, deleted or retyped. Whatever the file says, loading returns a cassette or a
/// `CassetteError`: never a trap, an overflow or an allocation the file's numbers ask for.
@Suite("Loading fuzzed cassettes")
struct LoaderFuzzTests {
    /// Values that have broken loaders: lengths and offsets at the edges of Int, wrong types.
    static let hostileNumbers = ["0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775806",
                                 "1099511627776", "4611686018427387904", "9223372036854775808", "1e308", "-0", "0.5", "70000", "69999"]
    static var hostileValues: [Any] { [NSNull(), "", "x", [Any](), [String: Any](), true, [[Int.max, 0]], [[1, Int.max]], [["at": 0, "length": Int.max, "sha256": String(repeating: "a", count: 64)]]] }

    @Test("a thousand mutated cassettes load or fail with a CassetteError, none traps", .timeLimit(.minutes(2)))
    func mutations() throws {
        let folder = try Fixture.folder()
        defer { Fixture.remove(folder) }
        let payload = Fixture.base64(count: 70_000, seed: 11)
        let cassette = try Fixture.cassette(name: "fuzzed", body: Fixture.imageStream(partials: [payload, payload]), maxChunk: 40_000)
        let path = "\(folder)/fuzzed.cassette.json"
        try cassette.save(to: path)
        let original = try Fixture.text(path)
        let tree = try JSONSerialization.jsonObject(with: Data(original.utf8))
        let leaves = Self.paths(in: tree)
        var random = SeededRandom(seed: 2026)
        var outcomes: [String: Int] = [:]
        for trial in 0..<1_000 {
            let text: String
            if trial.isMultiple(of: 2) {
                // Replace one number in the text, keeping everything else as written.
                let numbers = Self.numberRanges(in: original)
                let range = numbers[Int(random.next() % UInt64(numbers.count))]
                let replacement = Self.hostileNumbers[Int(random.next() % UInt64(Self.hostileNumbers.count))]
                text = original.replacingCharacters(in: range, with: replacement)
            } else {
                var mutated = tree
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    let target = leaves[Int(random.next() % UInt64(leaves.count))]
                    let value: Any? = random.next() % 4 == 0 ? nil : Self.hostileValues[Int(random.next() % UInt64(Self.hostileValues.count))]
                    mutated = Self.replacing(target[...], in: mutated, with: value)
                }
                text = String(decoding: try JSONSerialization.data(withJSONObject: mutated), as: UTF8.self)
            }
            try Fixture.write(text, to: path)
            do {
                let loaded = try Cassette.load(from: path)
                #expect(loaded.response.recording.chunkEnds.last == loaded.response.recording.bytes.count)
                outcomes["loaded", default: 0] += 1
            } catch {
                outcomes[Self.kind(error), default: 0] += 1
                #expect(error.description.contains(path), "\(error.description.prefix(300))")
            }
        }
        // The mutations reach past the JSON parser into the fields: several kinds of error, and some loads.
        #expect(outcomes.count >= 4, "\(outcomes)")
    }

    static func kind(_ error: CassetteError) -> String {
        String(String(describing: error).prefix { $0 != "(" })
    }

    /// The path of every value in the tree: object keys and array indices.
    static func paths(in value: Any, prefix: [AnyHashable] = []) -> [[AnyHashable]] {
        var found = prefix.isEmpty ? [] : [prefix]
        if let object = value as? [String: Any] {
            for (key, member) in object { found += paths(in: member, prefix: prefix + [key]) }
        } else if let array = value as? [Any] {
            for (index, item) in array.enumerated().prefix(8) { found += paths(in: item, prefix: prefix + [index]) }
        }
        return found
    }

    /// The tree with the value at `path` replaced, or removed when `value` is nil.
    static func replacing(_ path: ArraySlice<AnyHashable>, in tree: Any, with value: Any?) -> Any {
        guard let step = path.first else { return value ?? NSNull() }
        if var object = tree as? [String: Any], let key = step as? String {
            if path.count == 1, value == nil { object[key] = nil; return object }
            object[key] = replacing(path.dropFirst(), in: object[key] ?? NSNull(), with: value)
            return object
        }
        if var array = tree as? [Any], let index = step as? Int, index < array.count {
            if path.count == 1, value == nil { array.remove(at: index); return array }
            array[index] = replacing(path.dropFirst(), in: array[index], with: value)
            return array
        }
        return tree
    }

    /// Where each number is written in the text.
    static func numberRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        var inString = false
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inString.toggle() }
            if character == "\\" && inString { index = text.index(after: index) }
            else if !inString, character.isNumber || character == "-" {
                let start = index
                while index < text.endIndex, text[index].isNumber || "-.eE+".contains(text[index]) { index = text.index(after: index) }
                ranges.append(start..<index)
                continue
            }
            index = text.index(after: index)
        }
        return ranges
    }
}
