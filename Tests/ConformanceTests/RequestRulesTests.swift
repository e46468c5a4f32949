@testable import Conformance
import Foundation
import Reports
import Testing

/// The requests a client sends are judged: each mistake below is one a real client or gateway
/// made, made here by the reference client with that one change, and breaks its rule.
@Suite("What the client sends, and when", .serialized)
struct RequestRulesTests {
    /// The reference client with one mistake in what it sends, or when.
    struct MistakenClient: BlockingClientDriver {
        enum Mistake: Sendable {
            case none
            case sendsNothing
            case dropsField(String)
            case setsField(String, json: String)
            case withoutAuthorization
            case imageAsOctetStream
            case twoMasks
            case sendsTwice
            /// Sends once, waits this long, sends again (a retry).
            case retries(after: Double)
        }

        let mistake: Mistake

        func observe(_ job: ClientJob) -> Observation {
            var (headers, body) = ReferenceClient.encode(job.request)
            switch mistake {
            case .none:
                break
            case .sendsNothing:
                var observation = Observation()
                observation.error = .init(message: "gave up before sending")
                observation.exitCode = 1
                return observation
            case .dropsField(let name):
                var fields = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
                fields[name] = nil
                body = Array(try! JSONSerialization.data(withJSONObject: fields))
            case .setsField(let name, let json):
                let text = String(decoding: body, as: UTF8.self)
                body = Array((String(text.dropLast()) + ",\"\(name)\":\(json)}").utf8)
            case .withoutAuthorization:
                headers.removeAll { $0.0 == "Authorization" }
            case .imageAsOctetStream:
                body = Self.replacing("Content-Type: image/png", with: "Content-Type: application/octet-stream", in: body)
            case .twoMasks:
                let mask = "--tapedeck-reference-boundary\r\nContent-Disposition: form-data; name=\"mask\"; filename=\"mask.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\r\n\u{1A}\n\r\n"
                body = Self.replacing("--tapedeck-reference-boundary--", with: mask + mask + "--tapedeck-reference-boundary--", in: body)
            case .sendsTwice:
                _ = ReferenceClient.run(job, encoded: (headers, body))
            case .retries(let seconds):
                _ = ReferenceClient.run(job, encoded: (headers, body))
                Thread.sleep(forTimeInterval: seconds)
            }
            return ReferenceClient.run(job, encoded: (headers, body))
        }

        static func replacing(_ text: String, with replacement: String, in body: [UInt8]) -> [UInt8] {
            let (old, new) = (Array(text.utf8), Array(replacement.utf8))
            var out: [UInt8] = []
            var index = 0
            while index < body.count {
                if body[index...].starts(with: old) {
                    out += new
                    index += old.count
                } else {
                    out.append(body[index])
                    index += 1
                }
            }
            return out
        }
    }

    static let generate = "^images-generate-png-partial-1@default$"
    static let edit = "^images-edit-png-partial-1@default$"
    static let rateLimited = "^images-generate-png-partial-1@fault=status:429:retry-after=1$"

    @Test("Each mistake breaks its rule, and only the mistaken requests are judged wrong", arguments: [
        (MistakenClient.Mistake.none, generate, [String]()),
        (.none, edit, []),
        (.sendsNothing, generate, ["CLIENT-013"]),
        (.dropsField("partial_images"), generate, ["CLIENT-015"]),
        (.setsField("n", json: "\"2\""), generate, ["CLIENT-014"]),
        (.withoutAuthorization, generate, ["CLIENT-017"]),
        (.imageAsOctetStream, edit, ["CLIENT-016"]),
        (.twoMasks, edit, ["CLIENT-016"]),
        (.sendsTwice, generate, ["CLIENT-018"]),
        (.retries(after: 0), rateLimited, ["CLIENT-019"]),
        (.retries(after: 1.2), rateLimited, []),
    ] as [(MistakenClient.Mistake, String, [String])])
    func mistakes(mistake: MistakenClient.Mistake, filter: String, rules: [String]) async throws {
        let results = try await LoopbackRunTests.run(MistakenClient(mistake: mistake), filter: filter, chunkings: ["whole"])
        let result = try #require(results.first)
        let requestRules = Set(result.violations.map(\.ruleID)).filter { (13...19).contains(Int($0.dropFirst("CLIENT-".count)) ?? 0) }
        #expect(requestRules == Set(rules), "\(mistake): \(result.violations.map { "\($0.ruleID): \($0.observed)" })")
    }

    @Test("A client that sends nothing is told so, not that the response was conformant")
    func nothingSent() async throws {
        let result = try #require(try await LoopbackRunTests.run(MistakenClient(mistake: .sendsNothing), filter: Self.generate, chunkings: ["whole"]).first)
        let violation = try #require(result.violations.first { $0.ruleID == "CLIENT-013" })
        #expect(violation.observed == "no request reached the server")
        #expect(violation.expected == "POST /images/generations")
    }

    @Test("A resent generation and an early retry say when they came")
    func timings() async throws {
        let resent = try #require(try await LoopbackRunTests.run(MistakenClient(mistake: .sendsTwice), filter: Self.generate, chunkings: ["whole"]).first)
        #expect(resent.violations.first { $0.ruleID == "CLIENT-018" }?.observed.contains("a second paid generation") == true)
        let early = try #require(try await LoopbackRunTests.run(MistakenClient(mistake: .retries(after: 0)), filter: Self.rateLimited, chunkings: ["whole"]).first)
        let retry = try #require(early.violations.first { $0.ruleID == "CLIENT-019" })
        #expect(retry.expected.contains("(Retry-After: 1"))
        #expect(retry.observed.hasPrefix("it came "))
    }

    @Test("tapedeck run --rules lists the request rules with their levels")
    func listed() {
        let ids = ClientRule.all.map(\.id)
        for id in (13...19).map({ "CLIENT-0\($0)" }) { #expect(ids.contains(id)) }
        #expect(ClientRule.sendsAuthorization.level == .should)
    }
}
