import ImageFormats
import Testing

@Suite("Complete images")
struct CompleteImageTests {
    @Test("A complete image is recognised, complete, and reports its header's size and alpha", arguments: allFixtures)
    func completeImage(_ fixture: Intact) {
        let result = ImageInspector.inspect(fixture.bytes)
        #expect(result.problems == [])
        #expect(result.isComplete)
        #expect(result.format == fixture.format)
        #expect(result.width == fixture.width)
        #expect(result.height == fixture.height)
        #expect(result.hasAlpha == fixture.hasAlpha)
    }

    @Test("The format is detected from the magic bytes alone", arguments: allFixtures)
    func detection(_ fixture: Intact) {
        #expect(ImageFormat.detect(fixture.bytes) == fixture.format)
        #expect(ImageFormat.detect(Array(fixture.bytes.prefix(3))) == fixture.format)
    }

    @Test("Every way of passing the bytes gives the same answer: array, slice, raw buffer, non-contiguous collection",
          arguments: allFixtures)
    func inputKinds(_ fixture: Intact) {
        let expected = ImageInspector.inspect(fixture.bytes)
        let padded = [0xAA] + fixture.bytes + [0xBB]
        #expect(ImageInspector.inspect(padded[1..<(padded.count - 1)]) == expected)
        #expect(fixture.bytes.withUnsafeBytes { ImageInspector.inspect($0) } == expected)
        #expect(ImageInspector.inspect(fixture.bytes.lazy.map { $0 }) == expected)
    }

    @Test("No bytes, or bytes of no known format, are reported as such")
    func unknownInput() {
        #expect(ImageInspector.inspect([UInt8]()).problems == [.empty])
        #expect(ImageInspector.inspect([UInt8]()).format == nil)
        let gif = ascii("GIF89a") + [UInt8](repeating: 0, count: 20)
        let result = ImageInspector.inspect(gif)
        #expect(result.format == nil)
        #expect(!result.isComplete)
        #expect(result.problems == [.unknownFormat(firstBytes: Array(gif.prefix(16)))])
        let wave = ascii("RIFF") + le32(4) + ascii("WAVE")
        #expect(ImageInspector.inspect(wave).problems == [.unknownFormat(firstBytes: wave)])
    }

    @Test("Each problem's description names what is wrong and where")
    func descriptions() {
        #expect(ImageProblem.badChunkCRC(chunk: "IDAT", offset: 1234).description == "'IDAT' chunk at offset 1234 has a bad CRC")
        #expect(ImageProblem.truncated(expected: 131, at: 33).description.contains("131 bytes needed at offset 33"))
        #expect(ImageProblem.missingEnd("IEND").description.contains("'IEND'"))
        #expect(ImageProblem.unknownFormat(firstBytes: [0x47, 0x49]).description.hasSuffix("47 49"))
        #expect(ImageProblem.unexpectedMarker(marker: 0xD8, offset: 9).description == "unexpected marker FFD8 at offset 9")
        #expect(ImageProblem.imageDataTooShort(expected: 30_000_100_000, actual: 150).description
            == "image data inflates to 150 bytes, the header needs 30000100000")
    }
}
