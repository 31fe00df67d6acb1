/// An inclusive range of IPv4 addresses, written `10.123.4.100-10.123.4.200`.
public struct IPv4Range: Sendable, Hashable, CustomStringConvertible {
    public let first: IPv4Address
    public let last: IPv4Address

    public init(first: IPv4Address, last: IPv4Address) throws(AddressError) {
        guard first <= last else {
            throw AddressError(
                "'\(first)-\(last)' is not a valid IPv4 range: it runs backwards; write \(last)-\(first)")
        }
        self.first = first
        self.last = last
    }

    /// A range whose ends the caller has put in order.
    init(ordered first: IPv4Address, _ last: IPv4Address) {
        precondition(first <= last, "an IPv4 range runs forwards")
        self.first = first
        self.last = last
    }

    public init(_ text: String) throws(AddressError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalid(text, as: "IPv4 range", .init("expected FIRST-LAST, like 10.123.4.100-10.123.4.200"))
        }
        let first: IPv4Address
        let last: IPv4Address
        do {
            first = try IPv4Address.parse(parts[0])
            last = try IPv4Address.parse(parts[1])
        } catch {
            throw .invalid(text, as: "IPv4 range", error)
        }
        try self.init(first: first, last: last)
    }

    /// How many addresses the range holds, both ends included.
    public var count: Int {
        Int(last.rawValue - first.rawValue) + 1
    }

    public func contains(_ address: IPv4Address) -> Bool {
        first <= address && address <= last
    }

    public var description: String {
        "\(first)-\(last)"
    }
}

extension IPv4Range: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
