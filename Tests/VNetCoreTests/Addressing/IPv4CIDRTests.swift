import Testing
import VNetCore

struct IPv4CIDRTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let cidr: String
        let netmask: String
        let broadcast: String
        let addressCount: Int
        let usableCount: Int
        let firstUsable: String?
        let lastUsable: String?

        var testDescription: String { cidr }
    }

    @Test(arguments: [
        Shape(
            cidr: "10.123.4.0/24", netmask: "255.255.255.0", broadcast: "10.123.4.255", addressCount: 256,
            usableCount: 254, firstUsable: "10.123.4.1", lastUsable: "10.123.4.254"),
        Shape(
            cidr: "10.123.0.0/16", netmask: "255.255.0.0", broadcast: "10.123.255.255", addressCount: 65536,
            usableCount: 65534, firstUsable: "10.123.0.1", lastUsable: "10.123.255.254"),
        Shape(
            cidr: "10.123.4.64/26", netmask: "255.255.255.192", broadcast: "10.123.4.127", addressCount: 64,
            usableCount: 62, firstUsable: "10.123.4.65", lastUsable: "10.123.4.126"),
        Shape(
            cidr: "10.123.4.4/30", netmask: "255.255.255.252", broadcast: "10.123.4.7", addressCount: 4,
            usableCount: 2, firstUsable: "10.123.4.5", lastUsable: "10.123.4.6"),
        Shape(
            cidr: "10.123.4.4/31", netmask: "255.255.255.254", broadcast: "10.123.4.5", addressCount: 2,
            usableCount: 0, firstUsable: nil, lastUsable: nil),
        Shape(
            cidr: "10.123.4.4/32", netmask: "255.255.255.255", broadcast: "10.123.4.4", addressCount: 1,
            usableCount: 0, firstUsable: nil, lastUsable: nil),
        Shape(
            cidr: "0.0.0.0/0", netmask: "0.0.0.0", broadcast: "255.255.255.255", addressCount: 1 << 32,
            usableCount: (1 << 32) - 2, firstUsable: "0.0.0.1", lastUsable: "255.255.255.254"),
    ])
    func shape(of expected: Shape) throws {
        let cidr = try IPv4CIDR(expected.cidr)
        #expect(cidr.description == expected.cidr)
        #expect(cidr.netmask.description == expected.netmask)
        #expect(cidr.broadcast.description == expected.broadcast)
        #expect(cidr.addressCount == expected.addressCount)
        #expect(cidr.usableCount == expected.usableCount)
        #expect(cidr.firstUsable?.description == expected.firstUsable)
        #expect(cidr.lastUsable?.description == expected.lastUsable)
    }

    @Test(arguments: [
        ("10.123.4.1/24", "10.123.4.1/24 is not a network address; did you mean 10.123.4.0/24?"),
        ("10.123.4.0/16", "10.123.4.0/16 is not a network address; did you mean 10.123.0.0/16?"),
        ("10.123.4.1/0", "10.123.4.1/0 is not a network address; did you mean 0.0.0.0/0?"),
        ("10.123.4.0/33", "'10.123.4.0/33' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0/-1", "'10.123.4.0/-1' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0/024", "'10.123.4.0/024' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0/", "'10.123.4.0/' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0/ 24", "'10.123.4.0/ 24' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0/abc", "'10.123.4.0/abc' is not a valid IPv4 CIDR: prefix must be 0-32"),
        ("10.123.4.0", "'10.123.4.0' is not a valid IPv4 CIDR: expected ADDRESS/PREFIX, like 10.123.4.0/24"),
        ("10.123.4.0/24/24", "'10.123.4.0/24/24' is not a valid IPv4 CIDR: expected ADDRESS/PREFIX, like 10.123.4.0/24"),
        ("10.123.4.256/24", "'10.123.4.256/24' is not a valid IPv4 CIDR: '256' is greater than 255"),
        ("10.123.04.0/24", "'10.123.04.0/24' is not a valid IPv4 CIDR: '04' has a leading zero, which some tools read as octal"),
        ("auto", "'auto' is not a valid IPv4 CIDR: expected ADDRESS/PREFIX, like 10.123.4.0/24"),
    ])
    func rejects(text: String, message: String) {
        let error = #expect(throws: AddressError.self) { try IPv4CIDR(text) }
        #expect(error?.message == message)
    }

    @Test func buildsFromParts() throws {
        let address = IPv4Address(10, 123, 4, 77)
        #expect(try IPv4CIDR(containing: address, prefix: 24).description == "10.123.4.0/24")
        #expect(try IPv4CIDR(containing: address, prefix: 32).description == "10.123.4.77/32")
        #expect(try IPv4CIDR(network: IPv4Address(10, 123, 4, 0), prefix: 24) == IPv4CIDR("10.123.4.0/24"))
        let error = #expect(throws: AddressError.self) { try IPv4CIDR(containing: address, prefix: 40) }
        #expect(error?.message == "'10.123.4.77/40' is not a valid IPv4 CIDR: prefix must be 0-32")
    }

    @Test(arguments: [
        ("10.123.4.0/24", "10.123.4.0", true),
        ("10.123.4.0/24", "10.123.4.255", true),
        ("10.123.4.0/24", "10.123.5.0", false),
        ("10.123.4.0/24", "10.123.3.255", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("10.123.4.7/32", "10.123.4.7", true),
        ("10.123.4.7/32", "10.123.4.6", false),
    ])
    func containsAddress(cidr: String, address: String, expected: Bool) throws {
        #expect(try IPv4CIDR(cidr).contains(IPv4Address(address)) == expected)
    }

    @Test(arguments: [
        ("10.123.4.0/24", "10.123.4.0/24", true),
        ("10.123.0.0/16", "10.123.4.0/24", true),
        ("10.123.4.0/24", "10.123.0.0/16", true),
        ("10.123.4.0/24", "10.123.5.0/24", false),
        ("10.123.4.0/23", "10.123.5.0/24", true),
        ("10.123.4.0/23", "10.123.6.0/24", false),
        ("10.123.4.128/25", "10.123.4.0/25", false),
        ("10.123.4.5/32", "10.123.4.0/30", false),
        ("10.123.4.5/32", "10.123.4.4/30", true),
        ("0.0.0.0/0", "10.123.4.0/24", true),
        ("192.168.122.0/24", "10.123.4.0/24", false),
    ])
    func overlapTruthTable(lhs: String, rhs: String, expected: Bool) throws {
        let a = try IPv4CIDR(lhs)
        let b = try IPv4CIDR(rhs)
        #expect(a.overlaps(b) == expected)
        #expect(b.overlaps(a) == expected)
        #expect(a.contains(b) == (expected && a.prefix <= b.prefix))
    }

    @Test func dividesIntoSubnets() throws {
        let pool = try IPv4CIDR("10.123.0.0/22")
        #expect(try pool.subnets(ofPrefix: 24).map(\.description) == [
            "10.123.0.0/24", "10.123.1.0/24", "10.123.2.0/24", "10.123.3.0/24",
        ])
        #expect(try pool.subnets(ofPrefix: 22).map(\.description) == ["10.123.0.0/22"])
        #expect(try pool.subnets(ofPrefix: 30).underestimatedCount == 256)
        #expect(try IPv4CIDR("255.255.255.0/24").subnets(ofPrefix: 25).map(\.description) == [
            "255.255.255.0/25", "255.255.255.128/25",
        ])
        #expect(try IPv4CIDR("0.0.0.0/0").subnets(ofPrefix: 32).prefix(2).map(\.description) == [
            "0.0.0.0/32", "0.0.0.1/32",
        ])
        let error = #expect(throws: AddressError.self) { try pool.subnets(ofPrefix: 21) }
        #expect(error?.message == "cannot divide 10.123.0.0/22 into /21 subnets: the prefix must be 22-32")
    }

    @Test func ordersByNetworkThenSize() throws {
        let sorted = try ["10.123.5.0/24", "10.123.4.0/24", "10.123.4.0/22", "10.0.0.0/8"].map(IPv4CIDR.init).sorted()
        #expect(sorted.map(\.description) == ["10.0.0.0/8", "10.123.4.0/22", "10.123.4.0/24", "10.123.5.0/24"])
    }
}
