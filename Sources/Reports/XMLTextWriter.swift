import CLibXML2

/// A thin, throwing wrapper over libxml2's xmlTextWriter writing into memory: libxml2 does the
/// escaping; this type only sanitizes characters XML 1.0 forbids (see ``XMLText``) and turns
/// negative return codes into errors.
final class XMLTextWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private var finished = false

    init() throws(JUnitWriteError) {
        LibXML2.initialize()
        guard let buffer = xmlBufferCreate() else { throw .libxml2("xmlBufferCreate") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw .libxml2("xmlNewTextWriterMemory")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        Self.withXMLChars("  ") { _ = xmlTextWriterSetIndentString(writer, $0) }
    }

    deinit {
        if !finished { xmlFreeTextWriter(writer) }
        xmlBufferFree(buffer)
    }

    func startDocument() throws(JUnitWriteError) {
        try check("xmlTextWriterStartDocument", xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
    }

    func startElement(_ name: String) throws(JUnitWriteError) {
        let result = Self.withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }
        try check("xmlTextWriterStartElement(\(name))", result)
    }

    func endElement() throws(JUnitWriteError) {
        try check("xmlTextWriterEndElement", xmlTextWriterEndElement(writer))
    }

    func attribute(_ name: String, _ value: String) throws(JUnitWriteError) {
        let result = Self.withXMLChars(name) { namePointer in
            Self.withXMLChars(XMLText.sanitized(value)) { xmlTextWriterWriteAttribute(writer, namePointer, $0) }
        }
        try check("xmlTextWriterWriteAttribute(\(name))", result)
    }

    func text(_ value: String) throws(JUnitWriteError) {
        let result = Self.withXMLChars(XMLText.sanitized(value)) { xmlTextWriterWriteString(writer, $0) }
        try check("xmlTextWriterWriteString", result)
    }

    /// An element holding only text: `<name attr="…">text</name>`.
    func element(_ name: String, attributes: KeyValuePairs<String, String> = [:], text value: String? = nil) throws(JUnitWriteError) {
        try startElement(name)
        for (key, attributeValue) in attributes { try attribute(key, attributeValue) }
        if let value, !value.isEmpty { try text(value) }
        try endElement()
    }

    /// Ends the document and returns its bytes (UTF-8).
    func finish() throws(JUnitWriteError) -> [UInt8] {
        try check("xmlTextWriterEndDocument", xmlTextWriterEndDocument(writer))
        xmlFreeTextWriter(writer)  // flushes into the buffer
        finished = true
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    private func check(_ call: String, _ result: Int32) throws(JUnitWriteError) {
        if result < 0 { throw .libxml2(call) }
    }

    static func withXMLChars<Result>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
