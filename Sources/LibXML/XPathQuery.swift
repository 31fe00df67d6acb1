internal import CLibXML2

/// One XPath evaluation against a document, optionally from a context node.
struct XPathQuery {
    let expression: String
    let document: XMLDocument
    let node: xmlNodePtr?

    func elements() throws(XMLError) -> [XMLElement] {
        try evaluate { result throws(XMLError) in
            guard result.pointee.type == XPATH_NODESET else {
                throw XMLError(
                    source: document.source,
                    message: "XPath expression '\(expression)' gives a \(Self.kind(of: result)), not elements")
            }
            return Self.nodes(of: result).compactMap { node in
                node.pointee.type == XML_ELEMENT_NODE ? XMLElement(node: node, document: document) : nil
            }
        }
    }

    func string() throws(XMLError) -> String? {
        try evaluate { result in
            if result.pointee.type == XPATH_NODESET, Self.nodes(of: result).isEmpty {
                return nil
            }
            return XMLString.take(xmlXPathCastToString(result)) ?? ""
        }
    }

    func strings() throws(XMLError) -> [String] {
        try evaluate { result in
            guard result.pointee.type == XPATH_NODESET else {
                return [XMLString.take(xmlXPathCastToString(result)) ?? ""]
            }
            return Self.nodes(of: result).map { XMLString.take(xmlNodeGetContent($0)) ?? "" }
        }
    }

    private func evaluate<T>(_ body: (xmlXPathObjectPtr) throws(XMLError) -> T) throws(XMLError) -> T {
        LibXMLRuntime.enter()
        guard let context = xmlXPathNewContext(document.pointer) else {
            throw XMLError(source: document.source, message: "cannot create an XPath context: out of memory")
        }
        defer { xmlXPathFreeContext(context) }
        if let node {
            context.pointee.node = node
        }
        // An XPath context's own error handler gets no message, so the error goes the generic way,
        // which `enter()` silenced, and is read back from the calling thread's last error.
        xmlResetLastError()
        guard let result = XMLString.with(expression, { xmlXPathEvalExpression($0, context) }) else {
            let reason = xmlGetLastError()?.pointee.message.map { String(cString: $0).trimmingTrailingWhitespace() }
            throw XMLError(
                source: document.source,
                message: "invalid XPath expression '\(expression)': \(reason ?? "evaluation failed")")
        }
        defer { xmlXPathFreeObject(result) }
        return try body(result)
    }

    private static func nodes(of result: xmlXPathObjectPtr) -> [xmlNodePtr] {
        guard let set = result.pointee.nodesetval, let table = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { table[$0] }
    }

    private static func kind(of result: xmlXPathObjectPtr) -> String {
        switch result.pointee.type {
        case XPATH_BOOLEAN: "boolean"
        case XPATH_NUMBER: "number"
        case XPATH_STRING: "string"
        default: "value"
        }
    }
}
