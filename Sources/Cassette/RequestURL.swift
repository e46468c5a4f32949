internal import Foundation

/// The parts of a request's URL a cassette keeps: the host in its provenance, the path and
/// query as `request.path`. One place for recorder, proxy and importer alike.
public enum RequestURL {
    /// The host of an absolute URL, or the text itself when it has none.
    public static func host(of url: String) -> String {
        URL(string: url)?.host ?? url
    }

    /// The path and query as sent (percent-encoding kept), "/" for none; the text itself when
    /// it is not a URL.
    public static func pathAndQuery(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }
}
