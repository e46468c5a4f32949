import CLibXML2
import Foundation

/// A JUnit document read back through libxml2's parser, to check what a reader sees.
struct ParsedXML {
    struct Element {
        let name: String
        let attributes: [String: String]
        /// The concatenated text of the element and its descendants.
        let text: String
        let path: String
    }

    let elements: [Element]

    init?(_ bytes: [UInt8]) {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_HUGE.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "report.xml", "UTF-8", options)
            }
        }
        guard let document = parsed else { return nil }
        defer { xmlFreeDoc(document) }
        var found: [Element] = []
        func walk(_ node: xmlNodePtr?, parentPath: String) {
            var current = node
            while let element = current {
                if element.pointee.type == XML_ELEMENT_NODE {
                    let name = String(cString: element.pointee.name)
                    var attributes: [String: String] = [:]
                    var attribute = element.pointee.properties
                    while let property = attribute {
                        let key = String(cString: property.pointee.name)
                        if let value = xmlGetProp(element, property.pointee.name) {
                            attributes[key] = String(cString: value)
                            free(value)  // libxml2 allocates with malloc unless told otherwise
                        }
                        attribute = property.pointee.next
                    }
                    var text = ""
                    if let content = xmlNodeGetContent(element) {
                        text = String(cString: content)
                        free(content)
                    }
                    let path = parentPath + "/" + name
                    found.append(Element(name: name, attributes: attributes, text: text, path: path))
                    walk(element.pointee.children, parentPath: path)
                }
                current = current?.pointee.next
            }
        }
        walk(xmlDocGetRootElement(document), parentPath: "")
        elements = found
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
    func first(_ name: String) -> Element? { elements.first { $0.name == name } }
}
