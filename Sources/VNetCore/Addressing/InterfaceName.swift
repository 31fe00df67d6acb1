/// The name of a host network interface, such as a bridge or an uplink, as the Linux kernel accepts it.
///
/// At most 15 characters (the kernel's IFNAMSIZ less its terminator), not "." or "..", and
/// only ASCII letters, digits and `_ . -`. The kernel itself refuses '/', ':' and whitespace;
/// the rest is refused so that a name is safe in shell scripts and XML.
public struct InterfaceName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(AddressError) {
        let fail = { (reason: String) in AddressError.invalid(text, as: "interface name", .init(reason)) }
        if text.isEmpty { throw fail("it is empty") }
        if text.utf8.count > 15 { throw fail("it has \(text.utf8.count) characters; the kernel allows at most 15") }
        if text == "." || text == ".." { throw fail("'.' and '..' are reserved") }
        if let scalar = firstDisallowedScalar(in: text, punctuation: "_.-") {
            throw fail("character \(scalar.quoted) is not allowed; use letters, digits, '_', '.' and '-'")
        }
        value = text
    }

    public var description: String { value }

    public static func < (lhs: InterfaceName, rhs: InterfaceName) -> Bool {
        lhs.value < rhs.value
    }
}

extension InterfaceName: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
