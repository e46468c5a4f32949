import Delivery

/// Where a request goes: which surface, which cassette and which delivery scenario the URL
/// selects.
///
/// Both ride in the path (`/c/<cassette>/s/<scenario>/v1/images/generations`, each prefix
/// optional, in either order), so any client that takes a base URL can select them without
/// custom headers, and one server serves many at once.
struct Route: Sendable {
    let surface: String
    /// The path without the prefixes, as a cassette records it.
    let path: String
    let scenario: Scenario?
    let scenarioText: String?
    /// The cassette named by a `/c/<name>` prefix.
    let cassetteName: String?

    static let surfaces: [String: String] = [
        "/v1/images/generations": "images.generate",
        "/v1/images/edits": "images.edit",
        "/v1/responses": "responses",
    ]

    /// Plain event streams (`GET /v1/events/<name>`, surface `sse`): the WHATWG parsing cases
    /// the conformance suite serves to a client's SSE layer.
    static let eventStreamPrefix = "/v1/events/"

    /// The name of the plain event stream the path asks for.
    var eventStreamName: String? {
        surface == "sse" ? String(path.dropFirst(Self.eventStreamPrefix.count)) : nil
    }

    enum Failure: Error {
        case unknownPath(String)
        case badScenario(String, reason: String)
    }

    static func resolve(_ uri: String) throws(Failure) -> Route {
        let prefixes = try Prefixes(uri)
        if prefixes.path.hasPrefix(eventStreamPrefix), prefixes.path.count > eventStreamPrefix.count {
            return Route(surface: "sse", path: prefixes.path, scenario: prefixes.scenario, scenarioText: prefixes.scenarioText, cassetteName: prefixes.cassetteName)
        }
        guard let surface = surfaces[prefixes.path] else { throw .unknownPath(prefixes.path) }
        return Route(surface: surface, path: prefixes.path, scenario: prefixes.scenario, scenarioText: prefixes.scenarioText, cassetteName: prefixes.cassetteName)
    }

    /// The `/s/<scenario>` and `/c/<cassette>` prefixes read off any path, served or not.
    struct Prefixes {
        /// The path without the prefixes, the query and a trailing slash.
        var path: String
        /// The query after `?`, when there is one.
        var query: String?
        var scenario: Scenario?
        var scenarioText: String?
        var cassetteName: String?

        init(_ uri: String) throws(Failure) {
            let pieces = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            path = String(pieces.first ?? "")
            query = pieces.count > 1 ? String(pieces[1]) : nil
            while let prefix = ["/s/", "/c/"].first(where: { path.hasPrefix($0) }) {
                let rest = path.dropFirst(3)
                guard let slash = rest.firstIndex(of: "/") else { throw .unknownPath(path) }
                let text = String(rest[..<slash]).removingPercentEncoding
                if prefix == "/c/" {
                    cassetteName = text
                } else {
                    do {
                        scenario = try Scenario(parsing: text)
                    } catch {
                        throw .badScenario(text, reason: String(describing: error))
                    }
                    scenarioText = text
                }
                path = String(rest[slash...])
            }
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        }
    }
}

extension String {
    /// Decodes %XX escapes; invalid escapes are kept as written.
    var removingPercentEncoding: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let high = iterator.next(), low = iterator.next()
            if let high, let low, let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
                if let high { bytes.append(high) }
                if let low { bytes.append(low) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
