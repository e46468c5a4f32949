import CCurl

/// One HTTP exchange through libcurl (TLS, HTTP/2 where offered, the usual proxy environment
/// variables), handing each received chunk to the caller as it arrives, with its arrival time.
final class CurlTransfer {
    struct Request {
        var url: String
        var method = "POST"
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// A multipart/form-data body instead of `body`, as the SDKs send image edits.
        var form: FormBody?
        var connectTimeout: Duration = .seconds(10)
        /// No byte for this long ends the transfer.
        var idleTimeout: Duration? = .seconds(120)
        /// Asked while the transfer runs (at least once a second, and at every chunk); true
        /// ends it as `interrupted`.
        var isInterrupted: (@Sendable () -> Bool)?
        var maxTime: Duration?
        var caCertificate: String?
        var insecure = false
        /// The most libcurl reads from the socket at once (its default is 16 KiB).
        var receiveBufferSize: Int?
    }

    /// Why no response arrived.
    struct Failure: Error {
        enum Kind { case dns, connect, tls, timeout, interrupted, other }
        let kind: Kind
        /// libcurl's own words, as specific as it has them.
        let reason: String
    }

    enum Outcome {
        /// The server ended the response.
        case complete
        /// `onChunk` asked to stop.
        case stopped
        /// `isInterrupted` said so.
        case interrupted
        case idleTimeout, maxTime
        /// The connection broke mid-response.
        case truncated(String)
        /// No response at all: DNS, connect, TLS.
        case failed(Failure)
    }

    private(set) var status = 0
    private(set) var headers: [(String, String)] = []
    private let started = ContinuousClock.now
    private var onChunk: (UnsafeRawBufferPointer, Duration) -> Bool = { _, _ in true }
    private var onHeaders: () -> Void = {}
    private var headersDelivered = false
    private var stoppedByCaller = false
    private var isInterrupted: (@Sendable () -> Bool)?
    private var interrupted = false
    private var receivedBody = false

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Performs the request, blocking until it ends. `onHeaders` is called once the final
    /// status and headers are in (before any body); `onChunk` returns false to stop.
    func perform(_ request: Request, onHeaders: @escaping () -> Void = {}, onChunk: @escaping (UnsafeRawBufferPointer, Duration) -> Bool) -> Outcome {
        _ = Self.globalInit
        self.onChunk = onChunk
        self.onHeaders = onHeaders
        self.isInterrupted = request.isInterrupted
        guard let handle = curl_easy_init() else { return .failed(Failure(kind: .other, reason: "libcurl could not start a transfer")) }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // libcurl would add `Expect: 100-continue` to large bodies; a recording wants one exchange.
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        var mime: OpaquePointer?
        if let form = request.form {
            mime = Self.mime(form, handle: handle)
        }
        defer { if let mime { curl_mime_free(mime) } }

        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorText.deallocate() }

        let context = Unmanaged.passUnretained(self).toOpaque()
        var body = request.body
        let code: CURLcode = body.withUnsafeMutableBytes { bodyBytes in
            tapedeck_curl_setopt_string(handle, CURLOPT_URL, request.url)
            tapedeck_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            if let mime {
                tapedeck_curl_setopt_pointer(handle, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
            } else if !bodyBytes.isEmpty || request.method == "POST" {
                tapedeck_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, bodyBytes.baseAddress)
                tapedeck_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bodyBytes.count)
            }
            tapedeck_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
            tapedeck_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                return transfer.received(UnsafeRawBufferPointer(start: buffer, count: size * count)) ? size * count : 0
            })
            tapedeck_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            tapedeck_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receivedHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
                return size * count
            })
            tapedeck_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            tapedeck_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText)
            if let size = request.receiveBufferSize {
                tapedeck_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, size)
            }
            tapedeck_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            tapedeck_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            tapedeck_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
            if let idle = request.idleTimeout {
                tapedeck_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
                tapedeck_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(idle) / 1000))
            }
            if request.isInterrupted != nil {
                tapedeck_curl_setopt_progress_callback(handle) { context, _, _, _, _ in
                    guard let context else { return 0 }
                    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                    return transfer.checkInterrupted() ? 1 : 0
                }
                tapedeck_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
                tapedeck_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            }
            if let maxTime = request.maxTime {
                tapedeck_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(maxTime))
            }
            if let caCertificate = request.caCertificate {
                tapedeck_curl_setopt_string(handle, CURLOPT_CAINFO, caCertificate)
            }
            if request.insecure {
                tapedeck_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
                tapedeck_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
            }
            return curl_easy_perform(handle)
        }
        let detail = String(cString: errorText)
        let failure = Self.failure(code, detail: detail)
        if interrupted {
            return status != 0 ? .interrupted : .failed(Failure(kind: .interrupted, reason: "interrupted before any response arrived"))
        }
        switch code {
        case CURLE_OK:
            return .complete
        case CURLE_WRITE_ERROR where stoppedByCaller:
            return .stopped
        case CURLE_OPERATION_TIMEDOUT:
            if let maxTime = request.maxTime, ContinuousClock.now - started >= maxTime { return .maxTime }
            return receivedBody || status != 0 ? .idleTimeout : .failed(failure)
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return status != 0 ? .truncated(failure.reason) : .failed(failure)
        default:
            return status != 0 && receivedBody ? .truncated(failure.reason) : .failed(failure)
        }
    }

    /// A failure in libcurl's most specific words: its error buffer when it wrote one (which
    /// names the host, port and cause), else the code's description.
    private static func failure(_ code: CURLcode, detail: String) -> Failure {
        let kind: Failure.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_COULDNT_CONNECT: kind = .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            kind = .tls
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        default: kind = .other
        }
        return Failure(kind: kind, reason: detail.isEmpty ? describe(code) : detail)
    }

    /// The form as libcurl's MIME parts: text fields, and files read from disk with their type.
    private static func mime(_ form: FormBody, handle: UnsafeMutableRawPointer) -> OpaquePointer? {
        guard let mime = curl_mime_init(handle) else { return nil }
        for field in form.fields {
            let part = curl_mime_addpart(mime)
            curl_mime_name(part, field.name)
            curl_mime_data(part, field.value, field.value.utf8.count)
        }
        for file in form.files {
            let part = curl_mime_addpart(mime)
            curl_mime_name(part, file.name)
            curl_mime_filedata(part, file.path)
            curl_mime_type(part, file.contentType)
        }
        return mime
    }

    /// Whether the caller asked to stop; remembered, so the ending says so.
    private func checkInterrupted() -> Bool {
        if !interrupted, isInterrupted?() == true { interrupted = true }
        return interrupted
    }

    private func received(_ bytes: UnsafeRawBufferPointer) -> Bool {
        receivedBody = true
        deliverHeaders()
        guard onChunk(bytes, ContinuousClock.now - started) else {
            stoppedByCaller = true
            return false
        }
        return !checkInterrupted()
    }

    private func receivedHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingLineEnd()
        if line.isEmpty, status >= 200 {
            // The blank line after the final status's headers (not a 1xx's).
            deliverHeaders()
        } else if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect) starts the headers again.
            status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            headers = []
        } else if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers.append((String(line[..<colon]), String(value)))
        }
    }

    private func deliverHeaders() {
        guard !headersDelivered else { return }
        headersDelivered = true
        onHeaders()
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    private static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

private extension String {
    func trimmingLineEnd() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        return String(text)
    }
}
