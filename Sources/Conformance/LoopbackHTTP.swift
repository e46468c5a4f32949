import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client for the reference client and `cassette replay`: one request per connection,
/// the body handed over as it arrives, and an exact account of how the response ended (a
/// reset, a close before the end, an incomplete chunked body). Loopback and plain HTTP only.
public struct LoopbackHTTP: Sendable {
    public struct Head: Sendable {
        public var status: Int
        public var headers: [(String, String)]

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public enum Ending: Equatable, Sendable {
        case complete
        /// The connection closed before the framing said the body was done.
        case closedEarly
        case reset
        case timedOut
    }

    public enum Failure: Error, CustomStringConvertible {
        case badURL(String)
        case connect(String, errno: Int32)
        case malformedResponse(String)

        public var description: String {
            switch self {
            case .badURL(let url): "cannot use the URL \(url): the reference client speaks plain HTTP to a host and port"
            case .connect(let url, let code): "cannot connect to \(url): \(String(cString: strerror(code)))"
            case .malformedResponse(let reason): "malformed HTTP response: \(reason)"
            }
        }
    }

    let timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// Sends one request and streams the response body to `onBody`.
    public func exchange(method: String, url: String, headers: [(String, String)], body: [UInt8], onHead: (Head) -> Void, onBody: (ArraySlice<UInt8>) -> Bool) throws(Failure) -> Ending {
        guard url.hasPrefix("http://") else { throw .badURL(url) }
        let rest = url.dropFirst(7)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        let hostPort = authority.split(separator: ":")
        guard hostPort.count == 2, let port = UInt16(hostPort[1]) else { throw .badURL(url) }
        let socket = try connect(host: String(hostPort[0]), port: port, url: url)
        defer { close(socket) }

        var request = "\(method) \(target) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { request += "Content-Length: \(body.count)\r\n" }
        request += "\r\n"
        guard sendAll(socket, Array(request.utf8) + body) else { return .reset }

        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        var head: Head?
        var framing: BodyFraming = .untilClose
        var stop = false
        while !stop {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .timedOut }
                return .reset
            }
            if count == 0 {
                guard head != nil else { throw .malformedResponse("the connection closed before the response head") }
                return framing.isDoneAtClose ? .complete : .closedEarly
            }
            if head == nil {
                pending += buffer[0..<count]
                guard let end = Self.headEnd(pending) else {
                    if pending.count > 1 << 20 { throw .malformedResponse("a response head longer than 1 MiB") }
                    continue
                }
                let parsed = try Self.parseHead(pending[0..<end])
                head = parsed
                onHead(parsed)
                framing = BodyFraming(parsed)
                let remainder = pending[(end + 4)...]
                pending = []
                if !remainder.isEmpty { stop = !framing.consume(remainder, onBody) }
            } else {
                stop = !framing.consume(buffer[0..<count], onBody)
            }
            if framing.isDone { return .complete }
        }
        return .complete
    }

    private func connect(host: String, port: UInt16, url: String) throws(Failure) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw .connect(url, errno: errno) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(socket)
            throw .connect(url, errno: code)
        }
        return socket
    }

    private func sendAll(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            sent += result
        }
        return true
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func parseHead(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Head {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw .malformedResponse("status line '\(lines[0].prefix(80))'")
        }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Head(status: status, headers: headers)
    }
}

/// How the body's end is known, and where it is so far.
private enum BodyFraming {
    case untilClose
    case length(remaining: Int)
    case chunked(ChunkedBody)

    init(_ head: LoopbackHTTP.Head) {
        if head.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            self = .chunked(ChunkedBody())
        } else if let length = head.header("content-length").flatMap({ Int($0) }) {
            self = .length(remaining: length)
        } else {
            self = .untilClose
        }
    }

    var isDone: Bool {
        switch self {
        case .untilClose: false
        case .length(let remaining): remaining <= 0
        case .chunked(let body): body.isDone
        }
    }

    var isDoneAtClose: Bool {
        switch self {
        case .untilClose: true
        default: isDone
        }
    }

    /// Returns false when the receiver asked to stop.
    mutating func consume(_ bytes: ArraySlice<UInt8>, _ onBody: (ArraySlice<UInt8>) -> Bool) -> Bool {
        switch self {
        case .untilClose:
            return onBody(bytes)
        case .length(let remaining):
            let taken = bytes.prefix(remaining)
            self = .length(remaining: remaining - taken.count)
            return taken.isEmpty || onBody(taken)
        case .chunked(var body):
            let keepGoing = body.consume(bytes, onBody)
            self = .chunked(body)
            return keepGoing
        }
    }
}

/// An incremental decoder of `Transfer-Encoding: chunked`.
private struct ChunkedBody {
    private enum State { case size, data(Int), dataEnd, trailer, done }
    private var state = State.size
    private var line: [UInt8] = []

    var isDone: Bool { if case .done = state { true } else { false } }

    mutating func consume(_ bytes: ArraySlice<UInt8>, _ onBody: (ArraySlice<UInt8>) -> Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .data(let remaining):
                let end = min(bytes.endIndex, index + remaining)
                if !onBody(bytes[index..<end]) { return false }
                state = remaining - (end - index) == 0 ? .dataEnd : .data(remaining - (end - index))
                index = end
            case .size, .dataEnd, .trailer:
                let byte = bytes[index]
                index += 1
                guard byte == 10 else {
                    if byte != 13 { line.append(byte) }
                    continue
                }
                let text = String(decoding: line, as: UTF8.self)
                line = []
                switch state {
                case .size:
                    let size = Int(text.split(separator: ";").first.map(String.init) ?? "", radix: 16) ?? 0
                    state = size == 0 ? .trailer : .data(size)
                case .dataEnd:
                    state = .size
                default:
                    if text.isEmpty { state = .done }
                }
            case .done:
                return true
            }
        }
        return true
    }
}
