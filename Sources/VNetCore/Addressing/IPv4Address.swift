/// An IPv4 address.
///
/// Text is four decimal numbers 0-255 separated by dots; leading zeros are refused because
/// some tools read them as octal.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address as a 32-bit number, most significant octet first.
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    public init(_ text: String) throws(AddressError) {
        do {
            self = try Self.parse(text[...])
        } catch {
            throw .invalid(text, as: "IPv4 address", error)
        }
    }

    public var octets: [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: rawValue >> $0) }
    }

    public var description: String {
        octets.map(String.init).joined(separator: ".")
    }

    /// The address `distance` places away, or nil past 0.0.0.0 or 255.255.255.255.
    public func offset(by distance: Int64) -> IPv4Address? {
        let target = Int64(rawValue) + distance
        guard let value = UInt32(exactly: target) else { return nil }
        return IPv4Address(rawValue: value)
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    static func parse(_ text: Substring) throws(AddressError.Reason) -> IPv4Address {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            throw .init("expected four numbers 0-255 separated by dots, like 10.123.4.1")
        }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.isDecimalDigits else {
                throw .init("'\(part)' is not a number 0-255")
            }
            guard part.utf8.count == 1 || part.first != "0" else {
                throw .init("'\(part)' has a leading zero, which some tools read as octal")
            }
            guard part.utf8.count <= 3, let octet = UInt8(part) else {
                throw .init("'\(part)' is greater than 255")
            }
            value = value << 8 | UInt32(octet)
        }
        return IPv4Address(rawValue: value)
    }
}

extension Substring {
    /// True when every character is an ASCII digit 0-9 (and `Int(_:)` will not meet a sign).
    var isDecimalDigits: Bool {
        utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

extension IPv4Address: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
