import ImageStreamSpec
import Testing

@Suite("The image vocabulary as Swift types")
struct VocabularyTests {
    @Test("Sizes parse as auto or WIDTHxHEIGHT; anything else is nil, never a crash", arguments: [
        ("auto", ImageSize.auto), ("1024x1024", .pixels(width: 1024, height: 1024)), ("3840x2160", .pixels(width: 3840, height: 2160)),
        ("1024X1024", nil), ("1024x", nil), ("x1024", nil), ("0x10", nil), ("-5x10", nil), ("+5x10", nil), ("10x10x10", nil), ("", nil),
        ("99999999999999999999x1", nil),
    ] as [(String, ImageSize?)])
    func sizes(text: String, expected: ImageSize?) {
        #expect(ImageSize(text) == expected)
    }

    @Test("gpt-image-2 sizes: multiples of 16, 1:3 to 3:1, edges up to 3840", arguments: [
        ("1024x1024", true), ("3840x2160", true), ("2160x3840", true), ("1000x1000", false), ("3840x1024", false), ("4096x2160", false), ("auto", true),
    ])
    func gptImage2(text: String, accepted: Bool) throws {
        let size = try #require(ImageSize(text))
        #expect((size.gptImage2Refusal == nil) == accepted)
    }

    @Test("Enumerations and ranges hold the documented values")
    func enumerations() {
        #expect(OutputFormat.allCases.map(\.rawValue) == ["png", "jpeg", "webp"])
        #expect(OutputFormat.jpeg.supportsTransparency == false)
        #expect(ImageBackground(rawValue: "transparent") == .transparent)
        #expect(ImageQuality(rawValue: "ultra") == nil)
        #expect(Moderation.allCases.count == 2 && InputFidelity.allCases.count == 2)
        #expect(ResponseFormat(rawValue: "b64_json") == .b64JSON)
        #expect(ParameterRange.partialImages == 0...3 && ParameterRange.outputCompression == 0...100 && ParameterRange.imageCount == 1...10)
    }

    @Test("Usage reads input and output details, and only integers")
    func usage() throws {
        let usage = try #require(ImageUsage(JSONValue.parse(#"{"input_tokens":50,"input_tokens_details":{"image_tokens":10,"text_tokens":40},"output_tokens":272,"output_tokens_details":{"image_tokens":270,"text_tokens":2},"total_tokens":322}"#)))
        #expect(usage.inputImageTokens == 10 && usage.outputTextTokens == 2 && usage.totalTokens == 322)
        #expect(ImageUsage(try JSONValue.parse(#"{"input_tokens":"50","output_tokens":1,"total_tokens":51}"#)) == nil)
    }
}

@Suite("JSON values as requests carry them")
struct JSONValueTests {
    @Test("A number no double holds is a parse error naming where it is, not a type mismatch", arguments: [
        (#"{"n":1"# + String(repeating: "0", count: 100_000) + "}", "at n: a number too large for a double"),
        (#"{"a":[1,{"b":1e999}]}"#, "at a[1].b: a number too large for a double"),
        ("1e999", "at the top level: a number too large for a double"),
    ])
    func hugeNumbers(text: String, reason: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(error?.reason == reason)
    }

    @Test("Values print as the JSON they came from, keys sorted")
    func description() throws {
        let value = try JSONValue.parse(#"{"b":[1,2.5,"x/y"],"a":{"c":null,"d":true}}"#)
        #expect(value.description == #"{"a":{"c":null,"d":true},"b":[1,2.5,"x/y"]}"#)
    }
}
