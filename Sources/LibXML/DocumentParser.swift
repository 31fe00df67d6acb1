internal import CLibXML2

/// Parses bytes into a libxml2 document, collecting every error instead of printing it.
enum DocumentParser {
    /// No network access and no entity expansion; line numbers past 65535 kept.
    private static let options = XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
    /// For a tree that is only read: whitespace-only text between elements dropped, and short
    /// texts kept inside their nodes (libxml2 must then never edit the tree).
    private static let readOnlyOptions = XML_PARSE_NOBLANKS.rawValue | XML_PARSE_COMPACT.rawValue

    /// Parses `bytes`; `assumeUTF8` overrides the encoding the document declares.
    ///
    /// `url` becomes the document's base, against which relative references such as RelaxNG
    /// includes are resolved. `readOnly` builds the smaller tree of `readOnlyOptions`, and of it
    /// only the elements `keeping` names below the root.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, assumeUTF8: Bool, url: String?, source: String, readOnly: Bool = false,
        keeping filter: CompiledElementFilter? = nil
    ) -> Result<xmlDocPtr, XMLError> {
        let options = Int32(bitPattern: Self.options | (readOnly ? Self.readOnlyOptions : 0))
        LibXMLRuntime.enter()
        guard bytes.count <= Int(Int32.max) else {
            return .failure(XMLError(source: source, message: "document is larger than 2 GiB"))
        }
        guard let context = xmlNewParserCtxt() else {
            return .failure(XMLError(source: source, message: "cannot create a parser: out of memory"))
        }
        defer { xmlFreeParserCtxt(context) }

        // The SAX user data is the parser context itself, so the state rides in `_private`.
        let collector = DiagnosticCollector()
        let state = UnsafeMutablePointer<ParseState>.allocate(capacity: 1)
        state.initialize(to: ParseState(collector: .passUnretained(collector), walk: FilteredTreeBuilder.Walk(filter)))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        context.pointee._private = UnsafeMutableRawPointer(state)
        context.pointee.sax.pointee.serror = { userData, error in
            guard let state = ParseState.of(userData) else { return }
            DiagnosticCollector.receive(state.pointee.collector.toOpaque(), error)
        }
        if filter != nil { FilteredTreeBuilder.install(in: context, &state.pointee.walk) }

        // Overriding the encoding makes libxml2 convert UTF-8 to UTF-8 chunk by chunk; a document
        // without a declaration is read as UTF-8 anyway, so only one that declares gets the override.
        let encoding = assumeUTF8 && Self.hasDeclaration(bytes) ? "UTF-8" : nil
        let read = { (base: UnsafePointer<CChar>) in
            withExtendedLifetime((collector, filter)) {
                xmlCtxtReadMemory(context, base, Int32(bytes.count), url, encoding, options)
            }
        }
        let document: xmlDocPtr?
        if let base = bytes.baseAddress {
            document = read(base.assumingMemoryBound(to: CChar.self))
        } else {
            // An empty Swift buffer may have no address; libxml2 wants one even for zero bytes.
            document = withUnsafePointer(to: CChar(0), read)
        }
        if let document {
            return .success(document)
        }
        let first = collector.firstError?.diagnostic
        return .failure(
            XMLError(source: source, line: first?.line, message: first?.message ?? "not a well-formed XML document"))
    }

    /// Whether `bytes` begin with an XML declaration, after a UTF-8 byte order mark if any.
    private static func hasDeclaration(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes.dropFirst(start).starts(with: Array("<?xml".utf8))
    }
}
