import Foundation
import Testing
import TestKit

/// An HTTPS upstream with a self-signed certificate made for the test: trusted with --cacert,
/// refused without it, accepted blindly with --insecure.
@Suite("tapedeck record over HTTPS", .serialized)
struct RecordTLSTests {
    static let stream = TapedeckProcess.repositoryRoot.appendingPathComponent("Cassettes/streams/images-generate-partial-2.sse")
    static let body = #"{"model":"gpt-image-1","prompt":"otter","stream":true,"partial_images":2}"#

    /// Serves the bundled stream to any POST, over TLS with the given certificate.
    static let server = """
    import http.server, os, ssl, sys, threading
    # Ends when the test closes standard input, whoever gets the signal.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    body = open(sys.argv[3], 'rb').read()
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        def do_POST(self):
            self.rfile.read(int(self.headers.get('content-length', 0)))
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f'https://127.0.0.1:{server.server_address[1]}', flush=True)
    server.serve_forever()
    """

    static func selfSigned(in folder: URL) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let openssl = try ChildProcess.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                                            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], timeout: 60)
        try #require(openssl.status == 0, "\(openssl.errors)")
        return (certificate, key)
    }

    @Test("Recorded with --cacert; refused without it (exit 2, no cassette, a hint); accepted with --insecure")
    func selfSignedUpstream() throws {
        let folder = try Scratch.folder("tls")
        let (certificate, key) = try Self.selfSigned(in: folder)
        let script = folder.appendingPathComponent("server.py")
        try Self.server.write(to: script, atomically: true, encoding: .utf8)
        let https = try BackgroundProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, certificate, key, Self.stream.path])
        defer { _ = https.stop() }
        try #require(https.url.hasPrefix("https://127.0.0.1:"))
        let url = https.url + "/v1/images/generations"
        let expected = try Data(contentsOf: Self.stream)

        func record(_ name: String, _ extra: [String]) throws -> (TapedeckProcess.Result, String) {
            let out = folder.appendingPathComponent("\(name).cassette.json").path
            return (try TapedeckProcess.run(["record", "--url", url, "--body", Self.body, "--out", out] + extra), out)
        }

        let (trusted, trustedOut) = try record("trusted", ["--cacert", certificate])
        #expect(trusted.status == 0, "\(trusted.standardError)")
        let shown = try TapedeckProcess.run(["cassette", "show", trustedOut])
        #expect(shown.status == 0)
        #expect(trusted.standardOutput.contains("HTTP 200, \(expected.count) bytes"), "\(trusted.standardOutput)")

        let (refused, refusedOut) = try record("refused", [])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--cacert"), "\(refused.standardError)")
        #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: refusedOut))

        let (insecure, _) = try record("insecure", ["--insecure"])
        #expect(insecure.status == 0, "\(insecure.standardError)")

        // The proxy in front of the same upstream: the same rule.
        for trust in [["--cacert", certificate], []] {
            let cassettes = folder.appendingPathComponent("proxied-\(trust.count)").path
            let proxy = try BackgroundProcess.tapedeck(["proxy", "--upstream", https.url, "--cassettes", cassettes, "--record-mode", "all"] + trust)
            let client = try TapedeckProcess.run([
                "record", "--url", proxy.url + "/v1/images/generations", "--body", Self.body,
                "--out", folder.appendingPathComponent("client-\(trust.count).cassette.json").path,
            ])
            let log = proxy.stop()
            if trust.isEmpty {
                #expect(client.standardOutput.contains("HTTP 502"), "\(client.standardOutput)")
                #expect(log.output.contains("upstream unreachable") && log.output.contains("certificate"), "\(log.output)")
            } else {
                #expect(client.standardOutput.contains("HTTP 200, \(expected.count) bytes"), "\(client.standardOutput)")
                #expect(log.output.contains("recorded"), "\(log.output)")
            }
        }
    }
}
