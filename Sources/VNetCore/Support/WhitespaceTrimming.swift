extension StringProtocol {
    /// The string without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` returns (General Category Zs and U+0009), without
    /// bringing up NSString.
    public func trimmingWhitespace() -> String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The string without leading and trailing whitespace and newlines, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (adds U+000A–U+000D, U+0085, U+2028, U+2029).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming {
            $0 == "\t" || $0.properties.generalCategory == .spaceSeparator
                || (0x0A...0x0D).contains($0.value) || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x2029
        }
    }

    /// The string without the leading and trailing scalars that `trims` accepts.
    public func trimming(_ trims: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !trims($0) }), let last = scalars.lastIndex(where: { !trims($0) })
        else { return "" }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}
