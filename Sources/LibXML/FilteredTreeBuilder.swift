internal import CLibXML2

/// Stands between libxml2's parser and its tree-building callbacks so that only the elements an
/// `XMLElementFilter` keeps are built: a skipped element's start, its end and everything between
/// reach no callback. The parser still checks all of it for well-formedness.
enum FilteredTreeBuilder {
    /// What the callbacks read and change, reached through a raw pointer: no reference counting
    /// and no exclusivity check per element.
    struct Walk {
        /// The filter table (`CompiledElementFilter.entries`), whose names its owner keeps alive.
        let entries: [CompiledElementFilter.Entry]
        /// For each open element that is being built, the filter of its children.
        var open: [Int] = []
        /// How deep the parser is inside a skipped element; 0 outside one.
        var skipped = 0
        var startElement: startElementNsSAX2Func?
        var endElement: endElementNsSAX2Func?
        var characters: charactersSAXFunc?
        var cdataBlock: cdataBlockSAXFunc?
        var comment: commentSAXFunc?
        var processingInstruction: processingInstructionSAXFunc?
        var reference: referenceSAXFunc?

        /// The walk of `filter`; nil: a parse that builds the whole tree, whose callbacks stay libxml2's own.
        init(_ filter: CompiledElementFilter?) {
            entries = filter?.entries ?? []
        }

        /// The filter of a child named `name` of an element with filter `filter`; nil when the child is not kept.
        func childFilter(named name: UnsafePointer<xmlChar>, in filter: Int) -> Int? {
            guard filter != CompiledElementFilter.keepsAll else { return CompiledElementFilter.keepsAll }
            for entry in entries where entry.filter == filter && xmlStrEqual(name, entry.name) != 0 {
                return entry.childFilter
            }
            return nil
        }
    }

    /// Puts the filtering callbacks in front of `context`'s own, saving those in `walk`, which
    /// `walk(of:)` must find from the context for as long as it parses.
    static func install(in context: xmlParserCtxtPtr, _ walk: inout Walk) {
        let sax = context.pointee.sax!
        walk.startElement = sax.pointee.startElementNs
        walk.endElement = sax.pointee.endElementNs
        walk.characters = sax.pointee.characters
        walk.cdataBlock = sax.pointee.cdataBlock
        walk.comment = sax.pointee.comment
        walk.processingInstruction = sax.pointee.processingInstruction
        walk.reference = sax.pointee.reference
        sax.pointee.startElementNs = { context, name, prefix, uri, namespaces, namespaceList, attributes, defaulted, attributeList in
            guard let state = ParseState.of(context), let name else { return }
            if state.pointee.walk.skipped > 0 {
                state.pointee.walk.skipped += 1
                return
            }
            let filter: Int
            if let parent = state.pointee.walk.open.last {
                guard let child = state.pointee.walk.childFilter(named: name, in: parent) else {
                    state.pointee.walk.skipped = 1
                    return
                }
                filter = child
            } else {
                filter = CompiledElementFilter.root
            }
            state.pointee.walk.open.append(filter)
            state.pointee.walk.startElement?(
                context, name, prefix, uri, namespaces, namespaceList, attributes, defaulted, attributeList)
        }
        sax.pointee.endElementNs = { context, name, prefix, uri in
            guard let state = ParseState.of(context) else { return }
            if state.pointee.walk.skipped > 0 {
                state.pointee.walk.skipped -= 1
                return
            }
            state.pointee.walk.open.removeLast()
            state.pointee.walk.endElement?(context, name, prefix, uri)
        }
        sax.pointee.characters = { context, text, length in
            guard let state = ParseState.building(context) else { return }
            state.pointee.walk.characters?(context, text, length)
        }
        sax.pointee.cdataBlock = { context, text, length in
            guard let state = ParseState.building(context) else { return }
            state.pointee.walk.cdataBlock?(context, text, length)
        }
        sax.pointee.comment = { context, text in
            guard let state = ParseState.building(context) else { return }
            state.pointee.walk.comment?(context, text)
        }
        sax.pointee.processingInstruction = { context, target, data in
            guard let state = ParseState.building(context) else { return }
            state.pointee.walk.processingInstruction?(context, target, data)
        }
        sax.pointee.reference = { context, name in
            guard let state = ParseState.building(context) else { return }
            state.pointee.walk.reference?(context, name)
        }
    }
}

/// What a parse's callbacks reach through the parser context's `_private`: the collector of its
/// errors and, for a filtered parse, the filter's walk.
struct ParseState {
    let collector: Unmanaged<DiagnosticCollector>
    var walk: FilteredTreeBuilder.Walk

    /// The state of the parse `context` (the SAX callbacks' user data) runs.
    static func of(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<ParseState>? {
        context?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private?.assumingMemoryBound(to: ParseState.self)
    }

    /// The state of a filtered parse while it is not inside a skipped element.
    static func building(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<ParseState>? {
        guard let state = of(context), state.pointee.walk.skipped == 0 else { return nil }
        return state
    }
}
