internal import CLibXML2

/// A parsed XML document that can be queried with XPath, edited and serialized.
///
/// Parsing never touches the network and never expands entities.
public final class XMLDocument {
    let pointer: xmlDocPtr
    /// The file path or name the document was parsed from; errors name it.
    public let source: String
    /// Nodes taken out of the tree; freed with the document so that elements still pointing at them stay safe.
    private var removedNodes: [xmlNodePtr] = []

    /// Whether the tree was built to be read only (`init(readingOnly:source:)`); editing it stops the program.
    public let isReadOnly: Bool

    /// Parses `string`, whatever encoding its declaration names.
    public convenience init(string: String, source: String = "<string>") throws(XMLError) {
        try self.init(string: string, source: source, readOnly: false)
    }

    /// Parses `string` into a smaller tree that can be queried but never edited: whitespace-only
    /// text between elements is left out (so `serialized()` loses the source's indentation) and
    /// short texts take no allocation of their own. For the thousands of documents an inventory reads.
    ///
    /// With `filter`, the tree holds the root and, below it, only the elements the filter keeps;
    /// the rest of the document is checked for well-formedness but not built.
    public convenience init(readingOnly string: String, source: String, keeping filter: XMLElementFilter = .all) throws(XMLError) {
        try self.init(string: string, source: source, readOnly: true, keeping: CompiledElementFilter(filter))
    }

    private init(string: String, source: String, readOnly: Bool, keeping filter: CompiledElementFilter? = nil) throws(XMLError) {
        var string = string
        let parsed = string.withUTF8 { bytes in
            DocumentParser.parse(
                UnsafeRawBufferPointer(bytes), assumeUTF8: true, url: nil, source: source, readOnly: readOnly, keeping: filter)
        }
        pointer = try parsed.get()
        self.source = source
        isReadOnly = readOnly
    }

    /// Parses `bytes` in the encoding the document declares (UTF-8 if none).
    public convenience init(bytes: [UInt8], source: String) throws(XMLError) {
        try self.init(bytes: bytes, url: nil, source: source)
    }

    /// Reads and parses the file at `path`; errors name the path.
    public convenience init(contentsOfFile path: String) throws(XMLError) {
        try self.init(bytes: FileBytes.read(path), url: path, source: path)
    }

    init(bytes: [UInt8], url: String?, source: String) throws(XMLError) {
        let parsed = bytes.withUnsafeBytes { bytes in
            DocumentParser.parse(bytes, assumeUTF8: false, url: url, source: source)
        }
        pointer = try parsed.get()
        self.source = source
        isReadOnly = false
    }

    deinit {
        for node in removedNodes {
            xmlFreeNode(node)
        }
        xmlFreeDoc(pointer)
    }

    /// The document element, or nil once it has been removed.
    public var root: XMLElement? {
        xmlDocGetRootElement(pointer).map { XMLElement(node: $0, document: self) }
    }

    /// The elements an XPath expression selects, in document order; other kinds of node are skipped.
    public func elements(_ xpath: String) throws(XMLError) -> [XMLElement] {
        try XPathQuery(expression: xpath, document: self, node: nil).elements()
    }

    /// The first element an XPath expression selects.
    public func firstElement(_ xpath: String) throws(XMLError) -> XMLElement? {
        try elements(xpath).first
    }

    /// The string value of an XPath expression, such as `string(/network/name)`, `count(//host)` or `/network/@ipv6`.
    ///
    /// Nil when the expression selects an empty node-set; a non-empty node-set gives the value of its first node.
    public func string(_ xpath: String) throws(XMLError) -> String? {
        try XPathQuery(expression: xpath, document: self, node: nil).string()
    }

    /// The string value of every node an XPath expression selects, such as every `//host/@mac`.
    public func strings(_ xpath: String) throws(XMLError) -> [String] {
        try XPathQuery(expression: xpath, document: self, node: nil).strings()
    }

    /// The document as XML text, without the `<?xml …?>` declaration and without a final newline.
    ///
    /// `formatted` re-indents the whole document by two spaces, dropping the whitespace-only text
    /// that separated elements, so that added elements line up with parsed ones.
    public func serialized(formatted: Bool = false) -> String {
        XMLSerializer.serialize(pointer, formatted: formatted)
    }

    /// Stops the program when the tree was built read-only: libxml2's compact text nodes cannot be edited.
    func checkEditable() {
        precondition(!isReadOnly, "\(source): a document parsed for reading only cannot be edited")
    }

    func keepRemoved(_ node: xmlNodePtr) {
        removedNodes.append(node)
    }
}

@available(*, unavailable, message: "an XMLDocument and its elements belong to one thread at a time")
extension XMLDocument: Sendable {}
