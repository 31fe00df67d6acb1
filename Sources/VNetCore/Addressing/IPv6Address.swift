/// An IPv6 address, printed in the canonical text form of RFC 5952.
///
/// Zone suffixes (`fe80::1%eth0`) are refused: a libvirt network address has none.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first 64 bits.
    public let high: UInt64
    /// The last 64 bits.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(_ text: String) throws(AddressError) {
        do {
            self = try Self.parse(text[...])
        } catch {
            throw .invalid(text, as: "IPv6 address", error)
        }
    }

    /// The eight 16-bit groups, first to last.
    public var groups: [UInt16] {
        [high, low].flatMap { half in [48, 32, 16, 0].map { UInt16(truncatingIfNeeded: half >> $0) } }
    }

    /// True for `::ffff:a.b.c.d`, which is printed with its IPv4 address in dotted form.
    public var isIPv4Mapped: Bool {
        high == 0 && low >> 32 == 0xffff
    }

    public var description: String {
        if isIPv4Mapped {
            return "::ffff:\(IPv4Address(rawValue: UInt32(truncatingIfNeeded: low)))"
        }
        let groups = groups
        var longest = 0..<0
        var start = 0
        while start < groups.count {
            guard groups[start] == 0 else {
                start += 1
                continue
            }
            var end = start
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - start > longest.count { longest = start..<end }
            start = end
        }
        let hex = { (range: Range<Int>) in groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard longest.count >= 2 else { return hex(0..<8) }
        return hex(0..<longest.lowerBound) + "::" + hex(longest.upperBound..<8)
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    static func parse(_ text: Substring) throws(AddressError.Reason) -> IPv6Address {
        var groups: [UInt16]
        if let gap = text.firstRange(of: "::") {
            let head = try parseGroups(text[..<gap.lowerBound], allowingIPv4: false)
            let tail = try parseGroups(text[gap.upperBound...], allowingIPv4: true)
            guard head.count + tail.count <= 7 else { throw .init("'::' must stand for at least one group") }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            groups = try parseGroups(text, allowingIPv4: true)
            guard groups.count == 8 else { throw syntax }
        }
        let half = { (groups: ArraySlice<UInt16>) in groups.reduce(UInt64(0)) { $0 << 16 | UInt64($1) } }
        return IPv6Address(high: half(groups[0..<4]), low: half(groups[4..<8]))
    }

    private static let syntax = AddressError.Reason(
        "expected eight groups of 1-4 hex digits separated by ':', with '::' at most once, like 2001:db8::1")

    /// Parses colon-separated groups; the last may be a dotted IPv4 address, which makes two groups.
    private static func parseGroups(_ text: Substring, allowingIPv4: Bool) throws(AddressError.Reason) -> [UInt16] {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 8 else { throw syntax }
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if allowingIPv4, index == parts.count - 1, part.contains(".") {
                let embedded = try IPv4Address.parse(part).rawValue
                groups += [UInt16(embedded >> 16), UInt16(truncatingIfNeeded: embedded)]
            } else {
                guard (1...4).contains(part.utf8.count), part.allSatisfy(\.isHexDigit),
                    let group = UInt16(part, radix: 16)
                else { throw syntax }
                groups.append(group)
            }
        }
        return groups
    }
}

extension IPv6Address: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, Self.init)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeText(self, to: encoder)
    }
}
