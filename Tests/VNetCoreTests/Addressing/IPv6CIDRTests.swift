import Testing
import VNetCore

struct IPv6CIDRTests {
    @Test(arguments: [
        ("fd00:123::/64", "fd00:123::ffff:ffff:ffff:ffff"),
        ("fd00:123:0:4::/64", "fd00:123:0:4:ffff:ffff:ffff:ffff"),
        ("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fd00::100/120", "fd00::1ff"),
        ("::1/128", "::1"),
        ("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ])
    func parsesWithBounds(text: String, last: String) throws {
        let cidr = try IPv6CIDR(text)
        #expect(cidr.description == text)
        #expect(cidr.lastAddress.description == last)
        #expect(cidr.contains(cidr.network))
        #expect(cidr.contains(cidr.lastAddress))
    }

    @Test(arguments: [
        ("fd00:123::1/64", "fd00:123::1/64 is not a network address; did you mean fd00:123::/64?"),
        ("fd00::180/120", "fd00::180/120 is not a network address; did you mean fd00::100/120?"),
        ("fd00::/129", "'fd00::/129' is not a valid IPv6 CIDR: prefix must be 0-128"),
        ("fd00::", "'fd00::' is not a valid IPv6 CIDR: expected ADDRESS/PREFIX, like fd00:123::/64"),
        ("fd00::g/64", "'fd00::g/64' is not a valid IPv6 CIDR: expected eight groups of 1-4 hex digits separated by ':', with '::' at most once, like 2001:db8::1"),
        ("10.123.4.0/24", "'10.123.4.0/24' is not a valid IPv6 CIDR: expected eight groups of 1-4 hex digits separated by ':', with '::' at most once, like 2001:db8::1"),
    ])
    func rejects(text: String, message: String) {
        let error = #expect(throws: AddressError.self) { try IPv6CIDR(text) }
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("fd00:123::/64", "fd00:123::/48", true),
        ("fd00:123::/64", "fd00:123:0:1::/64", false),
        ("fd00:123::/48", "fd00:123:0:1::/64", true),
        ("fd00::/8", "2001:db8::/32", false),
        ("::/0", "2001:db8::/32", true),
    ])
    func overlapTruthTable(lhs: String, rhs: String, expected: Bool) throws {
        let a = try IPv6CIDR(lhs)
        let b = try IPv6CIDR(rhs)
        #expect(a.overlaps(b) == expected)
        #expect(b.overlaps(a) == expected)
    }

    @Test func containsAndBuildsFromHost() throws {
        let cidr = try IPv6CIDR(containing: IPv6Address("fd00:123::1"), prefix: 64)
        #expect(cidr.description == "fd00:123::/64")
        #expect(try cidr.contains(IPv6Address("fd00:123::ffff")))
        #expect(try !cidr.contains(IPv6Address("fd00:124::1")))
        #expect(try IPv6CIDR("fd00::/8") < IPv6CIDR("fd00::/16"))
    }
}
