/// An IPv4 network: a network address and a prefix length, written `10.123.4.0/24`.
///
/// The address must be the network address itself: `10.123.4.1/24` is refused, naming
/// `10.123.4.0/24`, because a user who writes it has usually mistyped the subnet. Use
/// ``init(containing:prefix:)`` for an interface address with its prefix.
public struct IPv4CIDR: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first address of the network.
    public let network: IPv4Address
    /// The prefix length, 0-32.
    public let prefix: Int

    public init(network: IPv4Address, prefix: Int) throws(AddressError) {
        try Self.check(prefix: prefix, of: "\(network)/\(prefix)")
        let masked = IPv4CIDR(masking: network, prefix: prefix)
        guard masked.network == network else {
            throw AddressError("\(network)/\(prefix) is not a network address; did you mean \(masked)?")
        }
        self = masked
    }

    /// The network that `address` belongs to, e.g. 10.123.4.0/24 for 10.123.4.1 and 24.
    public init(containing address: IPv4Address, prefix: Int) throws(AddressError) {
        try Self.check(prefix: prefix, of: "\(address)/\(prefix)")
        self.init(masking: address, prefix: prefix)
    }

    public init(_ text: String) throws(AddressError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalid(text, as: "IPv4 CIDR", .init("expected ADDRESS/PREFIX, like 10.123.4.0/24"))
        }
        let address: IPv4Address
        do {
            address = try IPv4Address.parse(parts[0])
        } catch {
            throw .invalid(text, as: "IPv4 CIDR", error)
        }
        guard let prefix = parsePrefix(parts[1], maximum: 32) else {
            throw .invalid(text, as: "IPv4 CIDR", .init("prefix must be 0-32"))
        }
        try self.init(network: address, prefix: prefix)
    }

    init(masking address: IPv4Address, prefix: Int) {
        network = IPv4Address(rawValue: address.rawValue & Self.mask(prefix))
        self.prefix = prefix
    }

    private static func mask(_ prefix: Int) -> UInt32 {
        ~UInt32(0) << (32 - prefix)
    }

    private static func check(prefix: Int, of text: String) throws(AddressError) {
        guard (0...32).contains(prefix) else {
            throw .invalid(text, as: "IPv4 CIDR", .init("prefix must be 0-32"))
        }
    }

    /// The prefix as a dotted mask, e.g. 255.255.255.0 for /24.
    public var netmask: IPv4Address {
        IPv4Address(rawValue: Self.mask(prefix))
    }

    /// The last address of the network.
    public var broadcast: IPv4Address {
        IPv4Address(rawValue: network.rawValue | ~Self.mask(prefix))
    }

    /// How many addresses the network spans, network and broadcast included.
    public var addressCount: Int {
        1 << (32 - prefix)
    }

    /// How many addresses a host may use: all but the network and broadcast addresses.
    ///
    /// A /31 or /32 has none, since it cannot hold a bridge address and a guest.
    public var usableCount: Int {
        max(addressCount - 2, 0)
    }

    /// The address after the network address, or nil for a /31 or /32.
    public var firstUsable: IPv4Address? {
        usableCount > 0 ? network.offset(by: 1) : nil
    }

    /// The address before the broadcast address, or nil for a /31 or /32.
    public var lastUsable: IPv4Address? {
        usableCount > 0 ? broadcast.offset(by: -1) : nil
    }

    public func contains(_ address: IPv4Address) -> Bool {
        address.rawValue & Self.mask(prefix) == network.rawValue
    }

    /// True when every address of `other` is in this network.
    public func contains(_ other: IPv4CIDR) -> Bool {
        other.prefix >= prefix && contains(other.network)
    }

    /// True when the two networks share an address, i.e. one contains the other.
    public func overlaps(_ other: IPv4CIDR) -> Bool {
        contains(other) || other.contains(self)
    }

    /// The networks of length `prefix` that this one divides into, in address order, made as they are iterated.
    public func subnets(ofPrefix prefix: Int) throws(AddressError) -> Subnets {
        guard (self.prefix...32).contains(prefix) else {
            throw AddressError("cannot divide \(self) into /\(prefix) subnets: the prefix must be \(self.prefix)-32")
        }
        return Subnets(pool: self, prefix: prefix)
    }

    /// The subnets of one length within a network, in address order.
    public struct Subnets: Sequence, Sendable {
        let pool: IPv4CIDR
        let prefix: Int

        public var underestimatedCount: Int {
            1 << (prefix - pool.prefix)
        }

        public func makeIterator() -> Iterator {
            Iterator(
                cursor: UInt64(pool.network.rawValue), end: UInt64(pool.broadcast.rawValue) + 1,
                step: 1 << (32 - prefix), prefix: prefix)
        }

        public struct Iterator: IteratorProtocol, Sendable {
            var cursor: UInt64
            let end: UInt64
            let step: UInt64
            let prefix: Int

            public mutating func next() -> IPv4CIDR? {
                guard cursor < end else { return nil }
                defer { cursor += step }
                return IPv4CIDR(masking: IPv4Address(rawValue: UInt32(cursor)), prefix: prefix)
            }
        }
    }

    public var description: String {
        "\(network)/\(prefix)"
    }

    /// Orders by network address, then the larger network first.
    public static func < (lhs: IPv4CIDR, rhs: IPv4CIDR) -> Bool {
        (lhs.network, lhs.prefix) < (rhs.network, rhs.prefix)
    }
}

/// Parses a prefix length written in decimal without leading zeros, or nil when it is not one of 0...maximum.
func parsePrefix(_ text: Substring, maximum: Int) -> Int? {
    guard (1...3).contains(text.utf8.count), text.isDecimalDigits, text.utf8.count == 1 || text.first != "0",
        let prefix = Int(text), prefix <= maximum
    else { return nil }
    return prefix
}

extension IPv4CIDR: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
