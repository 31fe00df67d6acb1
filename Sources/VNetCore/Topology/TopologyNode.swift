import Yams

/// A YAML node of a topology file with the path that reached it, read with errors that name the
/// file, the line and the field.
struct TopologyNode {
    let node: Node
    /// Dotted path of the field, like `networks[1].dhcp.range`.
    let path: String
    let source: String

    var line: Int { node.mark?.line ?? 0 }

    func error(_ message: String) -> VNetError {
        .invalidInput("\(source):\(line): \(path): \(message)")
    }

    /// The mapping's fields, refusing keys outside `allowed` with a did-you-mean.
    func fields(allowed: [String]) throws(VNetError) -> [String: TopologyNode] {
        guard let mapping = node.mapping else { throw error("expected a mapping of \(allowed.joined(separator: ", "))") }
        var fields: [String: TopologyNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be text") }
            let child = TopologyNode(node: value, path: path.isEmpty ? name : "\(path).\(name)", source: source)
            guard allowed.contains(name) else {
                let hint = Self.closest(to: name, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw VNetError.invalidInput(
                    "\(source):\(key.mark?.line ?? line): \(child.path): unknown key; \(hint)known keys: \(allowed.joined(separator: ", "))")
            }
            guard fields[name] == nil else { throw child.error("given twice") }
            fields[name] = child
        }
        return fields
    }

    /// YAML's spellings of null, as a plain (unquoted) scalar: read here, not by a Yams resolver rule.
    static let nulls: Set<String> = ["~", "null", "Null", "NULL"]

    func list() throws(VNetError) -> [TopologyNode] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || (scalar.style == .plain && Self.nulls.contains(scalar.string)) {
            return []
        }
        guard let sequence = node.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { index, element in
            TopologyNode(node: element, path: "\(path)[\(index)]", source: source)
        }
    }

    func string() throws(VNetError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        return scalar.string
    }

    func int() throws(VNetError) -> Int {
        guard let value = node.int else { throw error("expected a whole number, not '\(node.string ?? "?")'") }
        return value
    }

    func bool() throws(VNetError) -> Bool {
        guard let value = node.bool else { throw error("expected true or false, not '\(node.string ?? "?")'") }
        return value
    }

    /// A mapping of text to text, as `set:` takes it.
    func stringMap() throws(VNetError) -> [String: String] {
        guard let mapping = node.mapping else { throw error("expected a mapping of KEY: VALUE") }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, case .scalar(let scalar) = value else { throw error("expected KEY: VALUE text pairs") }
            result[name] = scalar.string
        }
        return result
    }

    /// Parses the text with `parse`, naming this field when it fails.
    func parsed<T>(_ parse: (String) throws -> T) throws(VNetError) -> T {
        let text = try string()
        do {
            return try parse(text)
        } catch {
            throw self.error(VNetError.from(error).message)
        }
    }

    /// The known key nearest to `key` by edit distance, when it is near enough to be a typo.
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (name, score) = scored, score <= max(2, key.count / 3) else { return nil }
        return name
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
