import Foundation
import ImageStreamSpec
import TestKit
import Testing

/// Garbage in gives findings or clear errors, in bounded memory, never a crash.
@Suite("Bad input to the validator")
struct SpecBadInputTests {
    func validate(_ response: ValidationInput.Response, surface: String = "images.generate", request: Fixtures.Object? = Fixtures.imagesRequest()) throws -> ValidationReport {
        let spec = try Fixtures.catalog().resolve(surface: surface)
        return Validator(spec: spec).validate(ValidationInput(request: request.map(Fixtures.jsonValue), response: response))
    }

    @Test("8 MiB of random bytes as a stream and as a body", arguments: [false, true])
    func garbage(asBody: Bool) throws {
        var generator = SeededRandom(seed: 8)
        let bytes = generator.bytes(8 << 20)
        let report = try validate(asBody ? .body(bytes) : .stream(bytes))
        #expect(report.errorCount > 0)
    }

    @Test("A data line of invalid JSON names the parse error")
    func invalidJSON() throws {
        let report = try validate(.stream(Array("event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"b64_json\":\n\n".utf8)))
        let finding = try #require(report.findings.first { $0.ruleID == "WIRE-002" })
        #expect(finding.message.contains("not JSON"))
        #expect(finding.byteRange == 0...(report.findings.first?.byteRange?.upperBound ?? 0))
    }

    @Test("JSON nested 10,000 levels deep is a finding, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let report = try validate(.stream(Array("data: {\"type\":\"image_generation.completed\",\"x\":\(deep)}\n\n".utf8)))
        #expect(report.findings.contains { $0.ruleID == "WIRE-002" })
        let bodyReport = try validate(.body(Array(deep.utf8)), request: nil)
        #expect(bodyReport.findings.contains { $0.ruleID == "WIRE-002" })
    }

    @Test("A PNG header claiming 100000x100000 pixels is reported without allocating for it")
    func claimedHugeImage() throws {
        var png = Fixtures.png(width: 16, height: 16)
        // Rewrite IHDR's width and height (bytes 16..<24) and fix its CRC with the real one.
        let huge: [UInt8] = [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0]
        png.replaceSubrange(16..<24, with: huge)
        let crc = crc32OfIHDR(png)
        png.replaceSubrange(29..<33, with: crc)
        let events = Fixtures.imageEvents("image_generation", partials: 0).editing(0) { $0["b64_json"] = Fixtures.base64(png) }
        let report = try validate(.stream(Fixtures.stream(events)), request: Fixtures.imagesRequest(partialImages: 0))
        #expect(report.findings.contains { $0.ruleID == "IMAGE-002" })
        #expect(report.findings.contains { $0.ruleID == "IMAGE-003" && $0.actual == "100000x100000" })
    }

    @Test("A 32 MiB base64 image is decoded once and judged")
    func largePayload() throws {
        var generator = SeededRandom(seed: 24)
        let noise = generator.bytes(24 << 20)
        let events = Fixtures.imageEvents("image_generation", partials: 0).editing(0) { $0["b64_json"] = Fixtures.base64(noise) }
        let report = try validate(.stream(Fixtures.stream(events)), request: Fixtures.imagesRequest(partialImages: 0))
        #expect(report.findings.contains { $0.ruleID == "IMAGE-002" && $0.message.contains("not a PNG, JPEG or WebP") })
    }

    private func crc32OfIHDR(_ png: [UInt8]) -> [UInt8] {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in png[12..<29] {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        return [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
}
