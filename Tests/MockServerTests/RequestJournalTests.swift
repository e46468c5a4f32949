import Crypto
import Delivery
import Foundation
import MockServer
import ServerTestKit
import Testing

/// The journal the runner judges requests from: every request of a scenario, keyed by what its
/// URL names, with its fields, its file parts by digest, secrets redacted, and its answer.
@Suite("The request journal")
struct RequestJournalTests {
    @Test("A multipart edit is kept with its text fields, its file parts by name, type, size and digest, and no key", .timeLimit(.minutes(1)))
    func keepsAnEdit() async throws {
        let journal = RequestJournal()
        try await ServerHarness.withServer({ $0.journal = journal }) { server in
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)
            var body = Array("--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na hat\r\n--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"hat.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += png + Array("\r\n--b--\r\n".utf8)
            let request = Array("POST /s/seed=3/v1/images/edits HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-proj-abcdefghijklmnopqrstuvwx\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
            let response = try await ServerHarness.blocking { try LoopbackClient(port: server.port).exchange(request) }
            #expect(response.status == 200)
            let entries = journal.take(RequestJournal.Key(scenario: try Scenario(parsing: "seed=3"), cassette: nil, path: "/v1/images/edits"))
            let entry = try #require(entries.first)
            #expect(entries.count == 1)
            #expect(entry.method == "POST" && entry.isForm)
            #expect(entry.fields?["prompt"] == .string("a hat"))
            let file = try #require(entry.files.first)
            #expect(file.field == "image[]" && file.filename == "hat.png" && file.contentType == "image/png" && file.size == png.count)
            #expect(file.sha256 == SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined())
            #expect(entry.header("authorization")?.contains("abcdefghijklmnop") == false, "the key is redacted")
            #expect(entry.answer?.status == 200 && entry.answer?.bodyBegan == true)
            #expect(journal.take(RequestJournal.Key(scenario: try Scenario(parsing: "seed=3"), cassette: nil, path: "/v1/images/edits")).isEmpty, "taken once")
        }
    }
}
