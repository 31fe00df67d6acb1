internal import CLibXML2

/// Which elements a read-only parse builds into its tree; the others, with everything inside them,
/// are parsed for well-formedness but never built.
///
/// The inventory reads thousands of libvirt documents of which its readers consult a few
/// elements (a domain's NICs and disks, not its controllers, consoles or features): building
/// the rest of each tree, and freeing it again, cost more than parsing it.
public indirect enum XMLElementFilter: Sendable, Equatable {
    /// The element and everything inside it.
    case all
    /// The element, and of its children only those named, each kept as its filter says.
    case children([String: XMLElementFilter])
}

/// An `XMLElementFilter` in the form the parser's callbacks test against libxml2's names.
final class CompiledElementFilter {
    /// NUL-terminated names of the children kept, and each one's filter (nil: all of it).
    private let names: [[UInt8]]
    private let filters: [CompiledElementFilter?]

    /// The filter for a root's children; nil when `filter` keeps everything.
    init?(_ filter: XMLElementFilter) {
        guard case .children(let children) = filter else { return nil }
        let sorted = children.sorted { $0.key < $1.key }
        names = sorted.map { Array($0.key.utf8) + [0] }
        filters = sorted.map { CompiledElementFilter($0.value) }
    }

    /// Whether a child named `name` (libxml2's NUL-terminated local name) is kept, and with
    /// which filter for its own children (nil: all of them).
    func child(named name: UnsafePointer<xmlChar>) -> (kept: Bool, filter: CompiledElementFilter?) {
        for index in names.indices where names[index].withUnsafeBufferPointer({ xmlStrEqual(name, $0.baseAddress) != 0 }) {
            return (true, filters[index])
        }
        return (false, nil)
    }
}
