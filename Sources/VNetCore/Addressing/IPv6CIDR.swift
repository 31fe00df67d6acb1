/// An IPv6 network: a network address and a prefix length, written `fd00:123::/64`.
///
/// As with ``IPv4CIDR``, the address must be the network address itself.
public struct IPv6CIDR: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first address of the network.
    public let network: IPv6Address
    /// The prefix length, 0-128.
    public let prefix: Int

    public init(network: IPv6Address, prefix: Int) throws(AddressError) {
        try Self.check(prefix: prefix, of: "\(network)/\(prefix)")
        let masked = IPv6CIDR(masking: network, prefix: prefix)
        guard masked.network == network else {
            throw AddressError("\(network)/\(prefix) is not a network address; did you mean \(masked)?")
        }
        self = masked
    }

    /// The network that `address` belongs to, e.g. fd00:123::/64 for fd00:123::1 and 64.
    public init(containing address: IPv6Address, prefix: Int) throws(AddressError) {
        try Self.check(prefix: prefix, of: "\(address)/\(prefix)")
        self.init(masking: address, prefix: prefix)
    }

    public init(_ text: String) throws(AddressError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalid(text, as: "IPv6 CIDR", .init("expected ADDRESS/PREFIX, like fd00:123::/64"))
        }
        let address: IPv6Address
        do {
            address = try IPv6Address.parse(parts[0])
        } catch {
            throw .invalid(text, as: "IPv6 CIDR", error)
        }
        guard let prefix = parsePrefix(parts[1], maximum: 128) else {
            throw .invalid(text, as: "IPv6 CIDR", .init("prefix must be 0-128"))
        }
        try self.init(network: address, prefix: prefix)
    }

    private init(masking address: IPv6Address, prefix: Int) {
        let mask = Self.mask(prefix)
        network = IPv6Address(high: address.high & mask.high, low: address.low & mask.low)
        self.prefix = prefix
    }

    private static func mask(_ prefix: Int) -> (high: UInt64, low: UInt64) {
        (~UInt64(0) << (64 - min(prefix, 64)), ~UInt64(0) << (128 - max(prefix, 64)))
    }

    private static func check(prefix: Int, of text: String) throws(AddressError) {
        guard (0...128).contains(prefix) else {
            throw .invalid(text, as: "IPv6 CIDR", .init("prefix must be 0-128"))
        }
    }

    /// The last address of the network.
    public var lastAddress: IPv6Address {
        let mask = Self.mask(prefix)
        return IPv6Address(high: network.high | ~mask.high, low: network.low | ~mask.low)
    }

    public func contains(_ address: IPv6Address) -> Bool {
        IPv6CIDR(masking: address, prefix: prefix).network == network
    }

    /// True when every address of `other` is in this network.
    public func contains(_ other: IPv6CIDR) -> Bool {
        other.prefix >= prefix && contains(other.network)
    }

    /// True when the two networks share an address, i.e. one contains the other.
    public func overlaps(_ other: IPv6CIDR) -> Bool {
        contains(other) || other.contains(self)
    }

    public var description: String {
        "\(network)/\(prefix)"
    }

    /// Orders by network address, then the larger network first.
    public static func < (lhs: IPv6CIDR, rhs: IPv6CIDR) -> Bool {
        (lhs.network, lhs.prefix) < (rhs.network, rhs.prefix)
    }
}

extension IPv6CIDR: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
