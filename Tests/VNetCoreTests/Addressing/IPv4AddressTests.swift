import Testing
import VNetCore

struct IPv4AddressTests {
    @Test(arguments: [
        ("0.0.0.0", UInt32(0)),
        ("10.123.4.1", 0x0a7b_0401),
        ("192.168.122.255", 0xc0a8_7aff),
        ("255.255.255.255", 0xffff_ffff),
    ])
    func parsesAndPrints(text: String, value: UInt32) throws {
        let address = try IPv4Address(text)
        #expect(address.rawValue == value)
        #expect(address.description == text)
        #expect(address == IPv4Address(rawValue: value))
    }

    @Test(arguments: [
        ("010.1.1.1", "'010.1.1.1' is not a valid IPv4 address: '010' has a leading zero, which some tools read as octal"),
        ("10.1.1.00", "'10.1.1.00' is not a valid IPv4 address: '00' has a leading zero, which some tools read as octal"),
        ("10.1.1.256", "'10.1.1.256' is not a valid IPv4 address: '256' is greater than 255"),
        ("10.1.1.1000", "'10.1.1.1000' is not a valid IPv4 address: '1000' is greater than 255"),
        ("10.1.1", "'10.1.1' is not a valid IPv4 address: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
        ("10.1.1.1.1", "'10.1.1.1.1' is not a valid IPv4 address: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
        ("", "'' is not a valid IPv4 address: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
        ("10..1.1", "'10..1.1' is not a valid IPv4 address: '' is not a number 0-255"),
        (" 10.1.1.1", "' 10.1.1.1' is not a valid IPv4 address: ' 10' is not a number 0-255"),
        ("10.1.1.1 ", "'10.1.1.1 ' is not a valid IPv4 address: '1 ' is not a number 0-255"),
        ("10.1.+1.1", "'10.1.+1.1' is not a valid IPv4 address: '+1' is not a number 0-255"),
        ("10.1.-1.1", "'10.1.-1.1' is not a valid IPv4 address: '-1' is not a number 0-255"),
        ("a.b.c.d", "'a.b.c.d' is not a valid IPv4 address: 'a' is not a number 0-255"),
        ("::1", "'::1' is not a valid IPv4 address: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
    ])
    func rejects(text: String, message: String) {
        let error = #expect(throws: AddressError.self) { try IPv4Address(text) }
        #expect(error?.message == message)
    }

    @Test func octetsAndOrder() throws {
        let address = IPv4Address(10, 123, 4, 1)
        #expect(address.octets == [10, 123, 4, 1])
        #expect(try IPv4Address("10.123.4.1") < IPv4Address("10.123.4.2"))
        #expect(try IPv4Address("9.255.255.255") < IPv4Address("10.0.0.0"))
    }

    @Test(arguments: [
        ("10.123.4.1", Int64(1), "10.123.4.2"),
        ("10.123.4.255", 1, "10.123.5.0"),
        ("10.123.4.0", -1, "10.123.3.255"),
        ("0.0.0.0", -1, nil),
        ("255.255.255.255", 1, nil),
    ] as [(String, Int64, String?)])
    func offsets(start: String, distance: Int64, expected: String?) throws {
        #expect(try IPv4Address(start).offset(by: distance)?.description == expected)
    }
}
