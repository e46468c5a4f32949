import Foundation
import Testing
import TestKit

/// A web page in a real browser is a client like any other: from its own origin (here a file,
/// origin `null`), with the SDKs' headers, it reads a stream from `tapedeck serve`, and an
/// `EventSource` reads the WHATWG cases the server serves.
@Suite("A page in Chromium as a client of tapedeck serve", .serialized)
struct BrowserClientTests {
    static func page(_ script: String) throws -> URL {
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("tapedeck-page-\(UUID().uuidString).html")
        try Data(#"<!doctype html><html><body><pre id="out">pending</pre><script>\#(script)</script></body></html>"#.utf8).write(to: page)
        return page
    }

    static func output(of dom: String) -> String? {
        dom.firstMatch(of: /<pre id="out">([^<]*)<\/pre>/).map { String($0.output.1) }
    }

    @Test("fetch with Authorization and X-Stainless headers from another origin: the preflight passes and the stream is read whole",
          .enabled(if: HeadlessBrowser.installed != nil, "no chromium on this machine"), .timeLimit(.minutes(2)))
    func fetchStream() throws {
        let browser = try #require(HeadlessBrowser.installed)
        let server = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0"])
        defer { _ = server.stop() }
        let page = try Self.page("""
        (async () => {
          const out = document.getElementById("out");
          try {
            const response = await fetch("\(server.url)/s/chunking=adversarial,seed=3/v1/images/generations", {
              method: "POST",
              headers: {"Content-Type": "application/json", "Authorization": "Bearer sk-test", "X-Stainless-OS": "browser"},
              body: JSON.stringify({model: "gpt-image-1", prompt: "otter", stream: true, partial_images: 2}),
            });
            const text = await response.text();
            const types = text.split("\\n\\n").filter(block => block.includes("data:")).map(block => JSON.parse(block.slice(block.indexOf("data:") + 5)).type);
            out.textContent = `${response.status} ${response.headers.get("content-type")} ${types.join(",")}`;
          } catch (error) {
            out.textContent = `failed: ${error}`;
          }
        })();
        """)
        defer { try? FileManager.default.removeItem(at: page) }
        let result = Self.output(of: try browser.dumpDOM(of: page, virtualTime: 20_000))
        #expect(result == "200 text/event-stream image_generation.partial_image,image_generation.partial_image,image_generation.completed", "\(result ?? "no output")")
    }

    @Test("EventSource reads a WHATWG case from serve's /v1/events route across origins",
          .enabled(if: HeadlessBrowser.installed != nil, "no chromium on this machine"), .timeLimit(.minutes(2)))
    func eventSource() throws {
        let browser = try #require(HeadlessBrowser.installed)
        let server = try BackgroundProcess.tapedeck(["serve", "--synthesize", "--port", "0"])
        defer { _ = server.stop() }
        let page = try Self.page("""
        const out = document.getElementById("out");
        const source = new EventSource("\(server.url)/s/chunking=bytes/v1/events/wpt-format-field-data");
        const seen = [];
        source.onmessage = event => { seen.push(JSON.stringify(event.data)); };
        source.onerror = () => { source.close(); out.textContent = seen.join(" "); };
        """)
        defer { try? FileManager.default.removeItem(at: page) }
        let result = Self.output(of: try browser.dumpDOM(of: page, virtualTime: 20_000))
        // The case's three events, as WHATWG says: an empty data field, two empty data lines
        // joined by LF, and `test`.
        #expect(result == ["", "\\n", "test"].map { "\"\($0)\"" }.joined(separator: " "), "\(result ?? "no output")")
    }
}
