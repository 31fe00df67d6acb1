/// An IPv4 or IPv6 address, for values that may be either.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses text with a ':' as IPv6 and anything else as IPv4.
    public init(_ text: String) throws(AddressError) {
        self = text.contains(":") ? .v6(try IPv6Address(text)) : .v4(try IPv4Address(text))
    }

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
