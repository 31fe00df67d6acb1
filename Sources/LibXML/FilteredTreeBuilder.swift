internal import CLibXML2

/// Stands between libxml2's parser and its tree-building callbacks so that only the elements an
/// `XMLElementFilter` keeps are built: a skipped element's start, its end and everything between
/// reach no callback. The parser still checks all of it for well-formedness.
final class FilteredTreeBuilder {
    /// The filter of the root's children.
    private let rootFilter: CompiledElementFilter
    /// For each open element that is being built, the filter of its children (nil: all of them).
    private var open: [CompiledElementFilter?] = []
    /// How deep the parser is inside a skipped element; 0 outside one.
    private var skipped = 0
    private var startElement: startElementNsSAX2Func?
    private var endElement: endElementNsSAX2Func?
    private var characters: charactersSAXFunc?
    private var cdataBlock: cdataBlockSAXFunc?
    private var comment: commentSAXFunc?
    private var processingInstruction: processingInstructionSAXFunc?
    private var reference: referenceSAXFunc?

    init(_ rootFilter: CompiledElementFilter) {
        self.rootFilter = rootFilter
    }

    /// Puts the filtering callbacks in front of `context`'s own; `builder(of:)` must find this
    /// builder from the context for as long as it parses.
    func install(in context: xmlParserCtxtPtr) {
        let sax = context.pointee.sax!
        startElement = sax.pointee.startElementNs
        endElement = sax.pointee.endElementNs
        characters = sax.pointee.characters
        cdataBlock = sax.pointee.cdataBlock
        comment = sax.pointee.comment
        processingInstruction = sax.pointee.processingInstruction
        reference = sax.pointee.reference
        sax.pointee.startElementNs = { context, name, prefix, uri, namespaces, namespaceList, attributes, defaulted, attributeList in
            guard let builder = FilteredTreeBuilder.builder(of: context), let name else { return }
            if builder.skipped > 0 {
                builder.skipped += 1
                return
            }
            if let parent = builder.open.last {
                let child = parent.map { $0.child(named: name) } ?? (kept: true, filter: nil)
                guard child.kept else {
                    builder.skipped = 1
                    return
                }
                builder.open.append(child.filter)
            } else {
                builder.open.append(builder.rootFilter)
            }
            builder.startElement?(context, name, prefix, uri, namespaces, namespaceList, attributes, defaulted, attributeList)
        }
        sax.pointee.endElementNs = { context, name, prefix, uri in
            guard let builder = FilteredTreeBuilder.builder(of: context) else { return }
            if builder.skipped > 0 {
                builder.skipped -= 1
                return
            }
            builder.open.removeLast()
            builder.endElement?(context, name, prefix, uri)
        }
        sax.pointee.characters = { context, text, length in
            guard let builder = FilteredTreeBuilder.builder(of: context), builder.skipped == 0 else { return }
            builder.characters?(context, text, length)
        }
        sax.pointee.cdataBlock = { context, text, length in
            guard let builder = FilteredTreeBuilder.builder(of: context), builder.skipped == 0 else { return }
            builder.cdataBlock?(context, text, length)
        }
        sax.pointee.comment = { context, text in
            guard let builder = FilteredTreeBuilder.builder(of: context), builder.skipped == 0 else { return }
            builder.comment?(context, text)
        }
        sax.pointee.processingInstruction = { context, target, data in
            guard let builder = FilteredTreeBuilder.builder(of: context), builder.skipped == 0 else { return }
            builder.processingInstruction?(context, target, data)
        }
        sax.pointee.reference = { context, name in
            guard let builder = FilteredTreeBuilder.builder(of: context), builder.skipped == 0 else { return }
            builder.reference?(context, name)
        }
    }

    /// The builder of the parse `context` (the SAX callbacks' user data) runs, if it has one.
    private static func builder(of context: UnsafeMutableRawPointer?) -> FilteredTreeBuilder? {
        guard let state = context?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return ParseHooks.from(state).filter
    }
}

/// What a parse's callbacks reach through the parser context's `_private`: the collector of its
/// errors and, for a filtered parse, its tree builder.
final class ParseHooks {
    let collector = DiagnosticCollector()
    let filter: FilteredTreeBuilder?

    init(filter: FilteredTreeBuilder?) {
        self.filter = filter
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ opaque: UnsafeMutableRawPointer) -> ParseHooks {
        Unmanaged<ParseHooks>.fromOpaque(opaque).takeUnretainedValue()
    }
}
