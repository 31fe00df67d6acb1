import LibXML

extension XMLElement {
    /// The child elements named `name`, in document order: a walk of the children, cheaper than
    /// XPath for the thousands of documents an inventory reads.
    func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The first child element named `name`.
    func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }
}
