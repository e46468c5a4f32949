import Testing
@testable import Cassette

@Suite("The JSON reader and writer")
struct JSONTests {
    struct ValidCase: CustomTestStringConvertible, Sendable {
        var input: String
        var canonical: String
        var testDescription: String { input }
    }

    @Test("reads and writes canonically:", arguments: [
        ValidCase(input: #" { "b" : [1, -0.5e+3, true, null], "a": "x" } "#, canonical: #"{"a":"x","b":[1,-0.5e+3,true,null]}"#),
        ValidCase(input: #""caf\u00e9 \ud83e\udd8a \/ \" \\ \n\t""#, canonical: "\"café 🦊 / \\\" \\\\ \\n\\t\""),
        ValidCase(input: "\"\\u0001\"", canonical: "\"\\u0001\""),
        ValidCase(input: "[]", canonical: "[]"),
        ValidCase(input: "{}", canonical: "{}"),
        ValidCase(input: "1.0", canonical: "1.0"),
    ])
    func valid(_ testCase: ValidCase) throws {
        #expect(try JSON.parse(testCase.input).canonicalText == testCase.canonical)
    }

    struct InvalidCase: CustomTestStringConvertible, Sendable {
        var input: String
        var error: String
        var testDescription: String { input }
    }

    @Test("says where and why invalid JSON fails:", arguments: [
        InvalidCase(input: "{\n  \"a\": 1,\n}", error: "line 3, column 1: expected a member name in quotes, found `}`"),
        InvalidCase(input: "[1 2]", error: "line 1, column 4: expected `,` or `]` in an array, found `2`"),
        InvalidCase(input: "\"abc", error: "line 1, column 1: unterminated string"),
        InvalidCase(input: "\"\\ud800\"", error: "line 1, column 2: a high surrogate escape must be followed by a low surrogate escape"),
        InvalidCase(input: "01", error: "line 1, column 2: unexpected text after the JSON value"),
        InvalidCase(input: "\"a\nb\"", error: "line 1, column 3: control character 0xA inside a string must be escaped"),
        InvalidCase(input: "", error: "line 1, column 1: expected a value, found the end of the text"),
        InvalidCase(input: String(repeating: "[", count: 600), error: "line 1, column 513: nesting deeper than 512 levels"),
    ])
    func invalid(_ testCase: InvalidCase) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSON.parse(testCase.input) }
        #expect(error?.description == testCase.error)
    }

    @Test("the file layout puts flat arrays and objects on one line, and sorts keys")
    func pretty() throws {
        let value = try JSON.parse(#"{"z":[[1,2],[3,4]],"a":{"k":[{"y":1,"x":[2]}],"e":[]}}"#)
        #expect(String(decoding: value.prettyText, as: UTF8.self) == """
        {
          "a": {
            "e": [],
            "k": [
              {"x": [2], "y": 1}
            ]
          },
          "z": [
            [1, 2],
            [3, 4]
          ]
        }

        """)
    }

    @Test("finds a top-level string member without parsing the rest")
    func peek() {
        #expect(JSONPeek.topLevelString("type", in: #"{"b64":"x\"y","nested":{"type":"no"},"list":[1,{"type":"no"}],"type":"yes"}"#) == "yes")
        #expect(JSONPeek.topLevelString("type", in: #"{"type":1}"#) == nil)
        #expect(JSONPeek.topLevelString("type", in: #"[{"type":"no"}]"#) == nil)
        #expect(JSONPeek.topLevelString("type", in: #"{"a":"\\","type":"after a backslash"}"#) == "after a backslash")
    }
}
