/// A 48-bit Ethernet MAC address, printed in lowercase colon form (`52:54:00:ab:cd:ef`).
///
/// Text may use ':' or '-' between the six pairs of hex digits, in either case, but one separator throughout.
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address as a number in the low 48 bits, first octet most significant.
    public let rawValue: UInt64

    /// The first three octets of a MAC address: the vendor's OUI, or a locally administered prefix.
    public struct Prefix: Sendable, Hashable, CustomStringConvertible {
        /// The three octets in the low 24 bits.
        public let rawValue: UInt32

        public init(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
            rawValue = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        }

        public var description: String {
            [16, 8, 0].map { hexPair(UInt8(truncatingIfNeeded: rawValue >> $0)) }.joined(separator: ":")
        }
    }

    /// The prefix QEMU and libvirt use for the MACs they generate; it is locally administered.
    public static let qemuPrefix = Prefix(0x52, 0x54, 0x00)

    /// Creates `00:00:00:00:00:00` … `ff:ff:ff:ff:ff:ff` from the low 48 bits of `rawValue`.
    public init(rawValue: UInt64) {
        precondition(rawValue >> 48 == 0, "a MAC address has 48 bits")
        self.rawValue = rawValue
    }

    /// The address under `prefix` whose last three octets are the 24-bit `suffix`.
    public init(_ prefix: Prefix, suffix: UInt32) {
        precondition(suffix >> 24 == 0, "a MAC suffix has 24 bits")
        rawValue = UInt64(prefix.rawValue) << 24 | UInt64(suffix)
    }

    public init(_ text: String) throws(AddressError) {
        let separator: Character = text.contains("-") ? "-" : ":"
        let pairs = text.split(separator: separator, omittingEmptySubsequences: false)
        let octets = pairs.compactMap { pair in
            pair.utf8.count == 2 && pair.allSatisfy(\.isHexDigit) ? UInt8(pair, radix: 16) : nil
        }
        guard pairs.count == 6, octets.count == 6 else {
            throw .invalid(
                text, as: "MAC address",
                .init("expected six pairs of hex digits separated by ':' or '-', like 52:54:00:ab:cd:ef"))
        }
        rawValue = octets.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var octets: [UInt8] {
        [40, 32, 24, 16, 8, 0].map { UInt8(truncatingIfNeeded: rawValue >> $0) }
    }

    public var prefix: Prefix {
        let octets = octets
        return Prefix(octets[0], octets[1], octets[2])
    }

    /// The last three octets as a 24-bit number.
    public var suffix: UInt32 {
        UInt32(truncatingIfNeeded: rawValue & 0xff_ffff)
    }

    /// True for group addresses (the lowest bit of the first octet), which no NIC may own.
    public var isMulticast: Bool {
        rawValue >> 40 & 0x01 != 0
    }

    /// True when the address was assigned locally rather than by a vendor (the second-lowest bit of the first octet).
    public var isLocallyAdministered: Bool {
        rawValue >> 40 & 0x02 != 0
    }

    public var isZero: Bool {
        rawValue == 0
    }

    public var description: String {
        octets.map(hexPair).joined(separator: ":")
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// The octet as two lowercase hex digits.
private func hexPair(_ octet: UInt8) -> String {
    (octet < 0x10 ? "0" : "") + String(octet, radix: 16)
}

extension MACAddress: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
