/// The name of a libvirt network or domain that vnetctl defines.
///
/// libvirt itself accepts almost any text, but the name also becomes file names under
/// /etc/libvirt and /var/lib/libvirt/dnsmasq, so it is held to 1-64 ASCII letters, digits and
/// `_ . + -`, not starting with '-' (it would read as an option) or '.' (a hidden file).
public struct ObjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(AddressError) {
        let fail = { (reason: String) in AddressError.invalid(text, as: "libvirt object name", .init(reason)) }
        if text.isEmpty { throw fail("it is empty") }
        if text.utf8.count > 64 { throw fail("it has \(text.utf8.count) characters; the limit is 64") }
        if let first = text.first, first == "-" || first == "." { throw fail("it must not start with '\(first)'") }
        if let scalar = firstDisallowedScalar(in: text, punctuation: "_.+-") {
            throw fail("character \(scalar.quoted) is not allowed; use letters, digits, '_', '.', '+' and '-'")
        }
        value = text
    }

    public var description: String { value }

    public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool {
        lhs.value < rhs.value
    }
}

extension ObjectName: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
