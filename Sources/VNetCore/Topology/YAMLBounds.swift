/// Bounds on a topology file's YAML that keep reading it cheap, checked on the text before Yams
/// composes it.
///
/// Yams resolves an alias by sharing the anchored node, so values cost nothing to expand, but it
/// hashes every mapping key to find duplicates: an alias (or a collection holding aliases) used
/// as a key expands there, exponentially with nested anchors (a billion laughs). Topology keys are
/// plain names, so such keys are refused, and aliases are limited in number. Nesting depth is
/// bounded by libyaml itself (1000 levels), the size by `BoundedFile.Kind.topology`.
enum YAMLBounds {
    /// The most aliases (`*name`) a topology text may use.
    static let maxAliases = 64

    /// Throws invalid input, naming `source` and the line, when `text` breaks a bound: more
    /// aliases than `maxAliases`, an alias or collection as a mapping key, an explicit `?` key,
    /// or a second document.
    static func check(_ text: String, source: String) throws(VNetError) {
        var scanner = Scanner()
        for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if let problem = scanner.scan(Array(line)) {
                throw .invalidInput("\(source):\(index + 1): \(problem)")
            }
        }
    }

    /// A line-by-line lexical pass that skips comments, quoted scalars and block scalars.
    private struct Scanner {
        var quote: UInt8?
        var blockScalarParent: Int?
        var aliases = 0
        var sawContent = false
        var documentMarkers = 0

        private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        private static let tokenBoundaries: Set<UInt8> = [space, tab, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")]
        private static let flowEnds: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")]

        /// The problem on this line, or nil.
        mutating func scan(_ line: [UInt8]) -> String? {
            let indent = line.prefix { $0 == Self.space }.count
            if let parent = blockScalarParent {
                if indent == line.count || indent > parent { return nil }
                blockScalarParent = nil
            }
            // A directive (%YAML, %TAG) before the document.
            if quote == nil, line.first == UInt8(ascii: "%") { return nil }
            if quote == nil, line.starts(with: Array("---".utf8)), line.count == 3 || Self.isBlank(line[3]) {
                if sawContent || documentMarkers > 0 {
                    return "a second YAML document ('---'); a topology file holds one document"
                }
                documentMarkers += 1
                return scan(Array(line[3...]), indent: indent)
            }
            return scan(line, indent: indent)
        }

        private mutating func scan(_ line: [UInt8], indent: Int) -> String? {
            var index = 0
            while index < line.count {
                let byte = line[index]
                if let open = quote {
                    if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if byte == open {
                        // '' inside a single-quoted scalar is one quote.
                        if open == UInt8(ascii: "'"), index + 1 < line.count, line[index + 1] == open {
                            index += 2
                            continue
                        }
                        quote = nil
                    }
                    index += 1
                    continue
                }
                let atTokenStart = index == 0 || Self.tokenBoundaries.contains(line[index - 1])
                if byte == UInt8(ascii: "#"), index == 0 || Self.isBlank(line[index - 1]) { break }
                if !Self.isBlank(byte), byte != UInt8(ascii: "%") { sawContent = true }
                switch byte {
                case UInt8(ascii: "'") where atTokenStart, UInt8(ascii: "\"") where atTokenStart:
                    quote = byte
                case UInt8(ascii: "*") where atTokenStart:
                    aliases += 1
                    if aliases > YAMLBounds.maxAliases {
                        return "more than \(YAMLBounds.maxAliases) YAML aliases (*name); write the values out instead"
                    }
                    var end = index + 1
                    while end < line.count, !Self.isBlank(line[end]), !Self.flowEnds.contains(line[end]) { end += 1 }
                    if Self.keyFollows(line, at: end) {
                        let name = String(decoding: line[index..<end], as: UTF8.self)
                        return "YAML alias \(name) used as a mapping key; keys are plain names"
                    }
                    index = end
                    continue
                case UInt8(ascii: "?") where atTokenStart && (index + 1 == line.count || Self.isBlank(line[index + 1])):
                    return "explicit YAML keys ('? ') are not supported; keys are plain names"
                case UInt8(ascii: "]") where Self.keyFollows(line, at: index + 1),
                    UInt8(ascii: "}") where Self.keyFollows(line, at: index + 1):
                    return "a YAML list or mapping used as a mapping key; keys are plain names"
                case UInt8(ascii: "|") where atTokenStart, UInt8(ascii: ">") where atTokenStart:
                    var rest = index + 1
                    while rest < line.count, "+-0123456789".utf8.contains(line[rest]) { rest += 1 }
                    while rest < line.count, Self.isBlank(line[rest]) { rest += 1 }
                    if rest == line.count || line[rest] == UInt8(ascii: "#") {
                        blockScalarParent = indent
                        return nil
                    }
                default:
                    break
                }
                index += 1
            }
            return nil
        }

        /// True when `line[start...]` is blanks, then `:`, then a blank, a flow end or the end of the line.
        private static func keyFollows(_ line: [UInt8], at start: Int) -> Bool {
            var index = start
            while index < line.count, isBlank(line[index]) { index += 1 }
            guard index < line.count, line[index] == UInt8(ascii: ":") else { return false }
            return index + 1 == line.count || isBlank(line[index + 1]) || flowEnds.contains(line[index + 1])
        }

        private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == UInt8(ascii: "\r") }
    }
}
