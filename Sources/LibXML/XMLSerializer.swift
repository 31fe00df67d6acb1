internal import CLibXML2

/// Writes a document as XML text without the XML declaration.
enum XMLSerializer {
    static func serialize(_ document: xmlDocPtr, formatted: Bool) -> String {
        LibXMLRuntime.enter()
        let noDeclaration = Int32(XML_SAVE_NO_DECL.rawValue)
        guard formatted else {
            return save(document, options: noDeclaration)
        }
        guard let copy = xmlCopyDoc(document, 1) else {
            fatalError("libxml2 cannot allocate a copy of the document")
        }
        defer { xmlFreeDoc(copy) }
        if let root = xmlDocGetRootElement(copy) {
            dropIndentation(under: root)
        }
        return save(copy, options: noDeclaration | Int32(XML_SAVE_FORMAT.rawValue))
    }

    /// One element and its subtree, as `xmlNodeDump` writes it (no declaration, no added indentation).
    static func serialize(_ node: xmlNodePtr, in document: xmlDocPtr) -> String {
        LibXMLRuntime.enter()
        guard let buffer = xmlBufferCreate() else {
            fatalError("libxml2 cannot allocate an output buffer")
        }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, document, node, 0, 0)
        let bytes = UnsafeBufferPointer(start: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer)))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func save(_ document: xmlDocPtr, options: Int32) -> String {
        guard let buffer = xmlBufferCreate() else {
            fatalError("libxml2 cannot allocate an output buffer")
        }
        defer { xmlBufferFree(buffer) }
        guard let context = xmlSaveToBuffer(buffer, "UTF-8", options) else {
            fatalError("libxml2 cannot create a serializer")
        }
        xmlSaveDoc(context, document)
        xmlSaveClose(context)
        let bytes = UnsafeBufferPointer(start: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer)))
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" {
            text.removeLast()
        }
        return text
    }

    /// Removes whitespace-only text between elements, which libxml2's formatter would keep verbatim.
    private static func dropIndentation(under element: xmlNodePtr) {
        var hasElementChild = false
        var child = element.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                hasElementChild = true
                dropIndentation(under: current)
            }
            child = current.pointee.next
        }
        guard hasElementChild else { return }
        child = element.pointee.children
        while let current = child {
            child = current.pointee.next
            if current.pointee.type == XML_TEXT_NODE, xmlIsBlankNode(current) != 0 {
                xmlUnlinkNode(current)
                xmlFreeNode(current)
            }
        }
    }
}
