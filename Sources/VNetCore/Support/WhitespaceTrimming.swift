extension StringProtocol {
    /// The string without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` returns (General Category Zs, U+0009 and, as Foundation
    /// on Linux counts it, U+200B ZERO WIDTH SPACE), without
    /// bringing up NSString.
    public func trimmingWhitespace() -> String {
        trimming(isWhitespace)
    }

    /// The string without leading and trailing whitespace and newlines, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (adds U+000A–U+000D, U+0085, U+2028, U+2029).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming {
            isWhitespace($0) || (0x0A...0x0D).contains($0.value) || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x2029
        }
    }

    /// Tab, U+200B or General Category Zs; ASCII is answered without the Unicode property tables,
    /// whose first use costs more than a whole table of `list` output.
    private func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            ? scalar == " " || scalar == "\t" : scalar.value == 0x200B || scalar.properties.generalCategory == .spaceSeparator
    }

    /// The string without the leading and trailing scalars that `trims` accepts.
    public func trimming(_ trims: (Unicode.Scalar) -> Bool) -> String {
        // On a concrete String: generic scalar views cost a metadata instantiation per call.
        let text = String(self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !trims($0) }), let last = scalars.lastIndex(where: { !trims($0) })
        else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(Substring(scalars[first...last]))
    }
}
