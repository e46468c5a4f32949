import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking sockets on 127.0.0.1, for tests that must see exactly what crosses the wire.
public enum LoopbackSocket {
    public struct Failure: Error, CustomStringConvertible {
        public let what: String
        public let code: Int32
        public var description: String { "\(what) failed: \(String(cString: strerror(code)))" }

        public init(what: String, code: Int32) {
            self.what = what
            self.code = code
        }
    }

    /// A connected socket, reads timing out after `readTimeout` seconds: a bound for a server
    /// that hangs, generous because a loaded machine (a build beside the tests) answers slowly. A `receiveBuffer`
    /// (set before connecting, so the window is small from the start) makes a reader that
    /// stops reading hold the sender back sooner.
    public static func connect(port: Int, readTimeout: Int = 180, receiveBuffer: Int32? = nil) throws(Failure) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(what: "socket", code: errno) }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(what: "connect", code: code)
        }
        return descriptor
    }

    /// A listening socket on a free port: a server that accepts and never answers.
    public static func listen() throws(Failure) -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(what: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && Glibc.listen(descriptor, 4) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard listening else {
            let code = errno
            close(descriptor)
            throw Failure(what: "listen", code: code)
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
