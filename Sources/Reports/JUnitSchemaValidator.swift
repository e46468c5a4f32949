import CLibXML2
import Foundation

/// Checks a JUnit report against the XSD schemas bundled in `Reports/schemas/` with libxml2's
/// schema validator, so that a report known to load in Jenkins and in Ant-style tools is proven,
/// not hoped. Each schema is parsed once; a validator can check any number of documents, from any
/// thread (libxml2 allows one parsed schema to serve many validation contexts).
public final class JUnitSchemaValidator: @unchecked Sendable {
    /// The schemas Tapedeck bundles, by file name.
    public enum Bundled: String, CaseIterable, Sendable {
        case jenkins = "jenkins-junit-10.xsd"
        case ant = "ant-junit.xsd"

        public var title: String {
            switch self {
            case .jenkins: "Jenkins junit-10"
            case .ant: "Ant JUnit (Windy Road)"
            }
        }
    }

    /// What a schema found wrong, with the line it is on.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    public let name: String
    private let schema: xmlSchemaPtr

    /// Loads one schema file.
    public init(schemaPath: String, name: String? = nil) throws(JUnitSchemaError) {
        LibXML2.initialize()
        guard FileManager.default.isReadableFile(atPath: schemaPath) else { throw .schemaUnreadable(path: schemaPath) }
        guard let parser = xmlSchemaNewParserCtxt(schemaPath) else { throw .schemaUnreadable(path: schemaPath) }
        defer { xmlSchemaFreeParserCtxt(parser) }
        let problems = ProblemCollector()
        xmlSchemaSetParserStructuredErrors(parser, ProblemCollector.callback, Unmanaged.passUnretained(problems).toOpaque())
        guard let schema = withExtendedLifetime(problems, { xmlSchemaParse(parser) }) else {
            throw .schemaInvalid(path: schemaPath, problems: problems.problems)
        }
        self.schema = schema
        self.name = name ?? URL(fileURLWithPath: schemaPath).lastPathComponent
    }

    /// Loads every bundled schema from `folder`.
    public static func bundled(in folder: String) throws(JUnitSchemaError) -> [(Bundled, JUnitSchemaValidator)] {
        var validators: [(Bundled, JUnitSchemaValidator)] = []
        for schema in Bundled.allCases {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(schema.rawValue).path
            validators.append((schema, try JUnitSchemaValidator(schemaPath: path, name: schema.title)))
        }
        return validators
    }

    deinit { xmlSchemaFree(schema) }

    /// The problems in a document; empty when it is valid. A document that is not well-formed
    /// XML gives its parse error as the one problem.
    public func problems(in document: [UInt8]) -> [Problem] {
        guard let parser = xmlNewParserCtxt() else { return [Problem(line: 0, message: "libxml2 could not create a parser")] }
        defer { xmlFreeParserCtxt(parser) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_HUGE.rawValue)
        let parsed = document.withUnsafeBufferPointer { bytes in
            bytes.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    xmlCtxtReadMemory(parser, $0, Int32(bytes.count), "report.xml", "UTF-8", options)
                }
            }
        }
        guard let parsed else {
            let error = xmlCtxtGetLastError(parser)?.pointee
            let message = error?.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "empty document"
            return [Problem(line: Int(error?.line ?? 0), message: "not well-formed XML: \(message)")]
        }
        defer { xmlFreeDoc(parsed) }

        guard let context = xmlSchemaNewValidCtxt(schema) else { return [Problem(line: 0, message: "libxml2 could not create a validation context")] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let problems = ProblemCollector()
        xmlSchemaSetValidStructuredErrors(context, ProblemCollector.callback, Unmanaged.passUnretained(problems).toOpaque())
        let result = withExtendedLifetime(problems) { xmlSchemaValidateDoc(context, parsed) }
        if result != 0 && problems.problems.isEmpty {
            return [Problem(line: 0, message: "libxml2 reported an internal error (\(result)) while validating")]
        }
        return problems.problems
    }

    /// Reads and checks a file.
    public func problems(inFile path: String) throws(JUnitSchemaError) -> [Problem] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .documentUnreadable(path: path) }
        return problems(in: [UInt8](data))
    }
}

/// Collects libxml2's structured errors for one parse or validation.
private final class ProblemCollector {
    var problems: [JUnitSchemaValidator.Problem] = []

    static let callback: xmlStructuredErrorFunc = { context, error in
        guard let context, let error = error?.pointee else { return }
        let collector = Unmanaged<ProblemCollector>.fromOpaque(context).takeUnretainedValue()
        let message = error.message.map { String(cString: $0) } ?? "unknown problem"
        collector.problems.append(.init(line: Int(error.line), message: message.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// Why the schemas or a report could not be checked (as opposed to a report that is invalid).
public enum JUnitSchemaError: Error, Equatable, CustomStringConvertible {
    case schemaUnreadable(path: String)
    case schemaInvalid(path: String, problems: [JUnitSchemaValidator.Problem])
    case documentUnreadable(path: String)

    public var description: String {
        switch self {
        case .schemaUnreadable(let path):
            "cannot read the schema '\(path)'; pass --schemas with the folder holding \(JUnitSchemaValidator.Bundled.allCases.map(\.rawValue).joined(separator: " and ")) (Reports/schemas in a checkout)"
        case .schemaInvalid(let path, let problems):
            "the schema '\(path)' is not a valid XSD (\(problems.first?.description ?? "no detail")); restore it from the repository"
        case .documentUnreadable(let path):
            "cannot read '\(path)'; give the path of a JUnit XML report"
        }
    }
}

/// libxml2's one-time set-up, which must not race with its first use on several threads.
enum LibXML2 {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func initialize() { _ = initialized }
}
