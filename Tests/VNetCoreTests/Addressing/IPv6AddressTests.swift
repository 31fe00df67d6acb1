import Testing
import VNetCore

struct IPv6AddressTests {
    @Test(arguments: [
        ("::", "::"),
        ("::1", "::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("fd00:123::", "fd00:123::"),
        ("::ffff:10.123.4.1", "::ffff:10.123.4.1"),
        ("::ffff:a7b:401", "::ffff:10.123.4.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ])
    func parsesToCanonicalText(text: String, canonical: String) throws {
        let address = try IPv6Address(text)
        #expect(address.description == canonical)
        #expect(try IPv6Address(canonical) == address)
    }

    @Test(arguments: [
        "", ":", ":::", "1::2::3", ":1::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "12345::", "g::1", "fe80::1%eth0", " ::1", "::1 ", "+1::", "1.2.3.4", "1.2.3.4::", "::1.2.3", "::1.2.3.04",
        "1:2:3:4:5:6:7:1.2.3.4",
    ])
    func rejects(text: String) {
        let error = #expect(throws: AddressError.self) { try IPv6Address(text) }
        #expect(error?.message.hasPrefix("'\(text)' is not a valid IPv6 address: ") == true)
    }

    @Test func explainsSyntax() {
        let error = #expect(throws: AddressError.self) { try IPv6Address("1::2::3") }
        #expect(
            error?.message
                == "'1::2::3' is not a valid IPv6 address: expected eight groups of 1-4 hex digits separated by ':', "
                + "with '::' at most once, like 2001:db8::1")
    }

    @Test func groupsAndOrder() throws {
        let address = try IPv6Address("2001:db8::ff00:42:8329")
        #expect(address.groups == [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329])
        #expect(address.high == 0x2001_0db8_0000_0000)
        #expect(address.low == 0x0000_ff00_0042_8329)
        #expect(try IPv6Address("::ffff:1.2.3.4").isIPv4Mapped)
        #expect(try !IPv6Address("::1.2.3.4").isIPv4Mapped)
        #expect(try IPv6Address("::ffff") < IPv6Address("::1:0"))
        #expect(try IPv6Address("0:0:0:1::") > IPv6Address("::ffff:ffff:ffff:ffff"))
    }

    @Test(arguments: [("10.123.4.1", "10.123.4.1"), ("2001:DB8::1", "2001:db8::1")])
    func eitherFamily(text: String, canonical: String) throws {
        #expect(try IPAddress(text).description == canonical)
    }

    @Test func eitherFamilyCases() throws {
        #expect(try IPAddress("10.123.4.1") == .v4(IPv4Address(10, 123, 4, 1)))
        #expect(try IPAddress("::1") == .v6(IPv6Address(high: 0, low: 1)))
        #expect(throws: AddressError.self) { try IPAddress("10.123.4.1:80") }
    }
}
