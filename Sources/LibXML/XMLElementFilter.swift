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

/// An `XMLElementFilter` as one flat table that the parser's callbacks search without retaining,
/// allocating or copying a name: they run for every element of thousands of documents.
final class CompiledElementFilter {
    /// One kept child: the filter it belongs to, its NUL-terminated name and its own filter.
    struct Entry {
        var filter: Int
        var name: UnsafeMutablePointer<xmlChar>
        /// The filter of the child's children, or `keepsAll`.
        var childFilter: Int
    }

    /// The filter number of an element kept with everything inside it.
    static let keepsAll = -1
    /// The filter number of the root's children.
    static let root = 0

    private(set) var entries: [Entry] = []

    /// The table for a root's children; nil when `filter` keeps everything.
    init?(_ filter: XMLElementFilter) {
        guard case .children = filter else { return nil }
        var next = Self.root
        add(filter, as: &next)
    }

    deinit {
        for entry in entries { entry.name.deallocate() }
    }

    /// Adds `filter`'s children as filter number `next`, then their own filters; returns the number given.
    @discardableResult
    private func add(_ filter: XMLElementFilter, as next: inout Int) -> Int {
        guard case .children(let children) = filter else { return Self.keepsAll }
        let number = next
        next += 1
        for (name, child) in children.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(name.utf8) + [0]
            let copy = UnsafeMutablePointer<xmlChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            let index = entries.count
            entries.append(Entry(filter: number, name: copy, childFilter: Self.keepsAll))
            entries[index].childFilter = add(child, as: &next)
        }
        return number
    }
}
