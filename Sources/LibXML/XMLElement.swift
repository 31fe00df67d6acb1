internal import CLibXML2

/// An element of an `XMLDocument`; it keeps its document alive.
///
/// Names passed to the editing methods must be valid XML names: an invalid one is a programming
/// error and stops the program. Check names from users with `isValidName(_:)`.
public struct XMLElement {
    let node: xmlNodePtr
    /// The document the element belongs to.
    public let document: XMLDocument

    init(node: xmlNodePtr, document: XMLDocument) {
        self.node = node
        self.document = document
    }

    /// Whether `name` can be an element or attribute name.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && XMLString.with(name) { xmlValidateName($0, 0) } == 0
    }

    /// The element and its subtree as XML text, e.g. to hand one `<host>` to `virNetworkUpdate`.
    public var serialized: String {
        XMLSerializer.serialize(node, in: document.pointer)
    }

    /// The element's local name, without a namespace prefix.
    public var name: String {
        XMLString.borrow(node.pointee.name) ?? ""
    }

    /// The 1-based line the element starts on in its source; 0 for an element added in memory.
    public var line: Int {
        max(Int(xmlGetLineNo(node)), 0)
    }

    /// The concatenated text of the element and all its descendants.
    public var text: String {
        // The common case, one text child, is read in place rather than copied by libxml2 first.
        if let only = node.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE {
            return XMLString.borrow(only.pointee.content) ?? ""
        }
        return XMLString.take(xmlNodeGetContent(node)) ?? ""
    }

    /// The value of the attribute `name` in no namespace.
    public func attribute(_ name: String) -> String? {
        XMLString.with(name) { wanted in
            var property = node.pointee.properties
            while let current = property {
                if current.pointee.ns == nil, xmlStrEqual(current.pointee.name, wanted) != 0 {
                    // A value that is one text node (no entity reference) is read in place.
                    if let only = current.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE {
                        return XMLString.borrow(only.pointee.content) ?? ""
                    }
                    break
                }
                property = current.pointee.next
            }
            return XMLString.take(xmlGetNoNsProp(node, wanted))
        }
    }

    /// Sets the attribute `name` to `value`, replacing any earlier value; `value` is stored as-is and escaped on output.
    public func setAttribute(_ name: String, _ value: String) {
        document.checkEditable()
        Self.checkName(name)
        XMLString.with(name) { name in
            XMLString.with(value) { value in
                _ = xmlSetProp(node, name, value)
            }
        }
    }

    /// Removes the attribute `name` in no namespace, if there is one.
    public func removeAttribute(_ name: String) {
        document.checkEditable()
        XMLString.with(name) { _ = xmlUnsetProp(node, $0) }
    }

    /// Appends a child element, with `text` as its escaped text content; it inherits this element's namespace.
    @discardableResult
    public func addChild(_ name: String, text: String? = nil) -> XMLElement {
        document.checkEditable()
        Self.checkName(name)
        let child = XMLString.with(name) { name in
            XMLString.withOptional(text) { text in xmlNewTextChild(node, nil, name, text) }
        }
        guard let child else { fatalError("libxml2 cannot allocate element <\(name)>") }
        return XMLElement(node: child, document: document)
    }

    /// Takes the element and its subtree out of the document.
    ///
    /// The memory is released with the document, so other `XMLElement` values for the subtree stay
    /// safe to use; they no longer appear in queries of the document or in its serialization.
    public func remove() {
        document.checkEditable()
        guard node.pointee.parent != nil else { return }
        xmlUnlinkNode(node)
        document.keepRemoved(node)
    }

    /// The element's parent element; nil for the root and for removed elements.
    public var parent: XMLElement? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return XMLElement(node: parent, document: document)
    }

    /// The element children, in document order.
    public var children: [XMLElement] {
        var elements: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                elements.append(XMLElement(node: current, document: document))
            }
            child = current.pointee.next
        }
        return elements
    }

    /// The child elements named `name`, in document order.
    ///
    /// Names are compared in libxml2's own bytes, with no string or array made per child: the
    /// inventory walks thousands of documents this way, where XPath or `children` would cost
    /// several times as much.
    public func children(_ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        forEachChild(named: name) { element in
            found.append(element)
            return true
        }
        return found
    }

    /// The first child element named `name`.
    public func child(_ name: String) -> XMLElement? {
        var found: XMLElement?
        forEachChild(named: name) { element in
            found = element
            return false
        }
        return found
    }

    /// Calls `body` with each child element named `name` until it returns false.
    private func forEachChild(named name: String, _ body: (XMLElement) -> Bool) {
        XMLString.with(name) { wanted in
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(current.pointee.name, wanted) != 0,
                   !body(XMLElement(node: current, document: document))
                {
                    return
                }
                child = current.pointee.next
            }
        }
    }

    /// The elements an XPath expression selects with this element as the context node.
    public func elements(_ xpath: String) throws(XMLError) -> [XMLElement] {
        try XPathQuery(expression: xpath, document: document, node: node).elements()
    }

    /// The first element an XPath expression selects with this element as the context node.
    public func firstElement(_ xpath: String) throws(XMLError) -> XMLElement? {
        try elements(xpath).first
    }

    /// The string value of an XPath expression evaluated at this element; see `XMLDocument.string(_:)`.
    public func string(_ xpath: String) throws(XMLError) -> String? {
        try XPathQuery(expression: xpath, document: document, node: node).string()
    }

    private static func checkName(_ name: String) {
        precondition(isValidName(name), "'\(name)' is not a valid XML name")
    }
}

@available(*, unavailable, message: "an XMLDocument and its elements belong to one thread at a time")
extension XMLElement: Sendable {}
