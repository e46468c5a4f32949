import ArgumentParser
import CCurl
import CLibXML2

enum TapedeckVersion {
    static let current = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Tapedeck's version and the versions of the C libraries it runs on.",
        discussion: "Paste this into a bug report: recording goes through libcurl and reports through libxml2."
    )

    func run() {
        print("tapedeck \(TapedeckVersion.current)")
        print(String(cString: curl_version()))
        print("libxml2/\(String(cString: __xmlParserVersion().pointee!))")
    }
}
