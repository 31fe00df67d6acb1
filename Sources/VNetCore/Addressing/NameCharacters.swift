/// The first character of `name` that is not an ASCII letter, digit or one of `punctuation`, or nil when there is none.
func firstDisallowedScalar(in name: String, punctuation: String) -> Unicode.Scalar? {
    name.unicodeScalars.first { scalar in
        let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        return !isLetter && !("0"..."9").contains(scalar) && !punctuation.unicodeScalars.contains(scalar)
    }
}

extension Unicode.Scalar {
    /// The scalar quoted for an error message, with control and non-ASCII characters escaped.
    var quoted: String {
        let printable = isASCII && (0x20..<0x7f).contains(value)
        guard printable else { return "\"\(escaped(asASCII: true))\"" }
        return self == "\"" ? "'\"'" : "\"\(Character(self))\""
    }
}
