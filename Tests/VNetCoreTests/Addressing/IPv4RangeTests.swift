import Testing
import VNetCore

struct IPv4RangeTests {
    @Test(arguments: [
        ("10.123.4.100-10.123.4.200", 101),
        ("10.123.4.2-10.123.4.254", 253),
        ("10.123.4.9-10.123.4.9", 1),
        ("10.123.4.250-10.123.5.5", 12),
    ])
    func parsesAndCounts(text: String, count: Int) throws {
        let range = try IPv4Range(text)
        #expect(range.description == text)
        #expect(range.count == count)
        #expect(range.contains(range.first))
        #expect(range.contains(range.last))
        #expect(!range.contains(range.first.offset(by: -1)!))
        #expect(!range.contains(range.last.offset(by: 1)!))
    }

    @Test(arguments: [
        ("10.123.4.200-10.123.4.100",
         "'10.123.4.200-10.123.4.100' is not a valid IPv4 range: it runs backwards; write 10.123.4.100-10.123.4.200"),
        ("10.123.4.100", "'10.123.4.100' is not a valid IPv4 range: expected FIRST-LAST, like 10.123.4.100-10.123.4.200"),
        ("10.123.4.100-", "'10.123.4.100-' is not a valid IPv4 range: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
        ("10.123.4.100 - 10.123.4.200", "'10.123.4.100 - 10.123.4.200' is not a valid IPv4 range: '100 ' is not a number 0-255"),
        ("10.123.4.1-10.123.4.2-10.123.4.3", "'10.123.4.1-10.123.4.2-10.123.4.3' is not a valid IPv4 range: expected FIRST-LAST, like 10.123.4.100-10.123.4.200"),
        ("10.123.4.100-10.123.4.300", "'10.123.4.100-10.123.4.300' is not a valid IPv4 range: '300' is greater than 255"),
    ])
    func rejects(text: String, message: String) {
        let error = #expect(throws: AddressError.self) { try IPv4Range(text) }
        #expect(error?.message == message)
    }

    @Test func wholeAddressSpace() throws {
        let range = try IPv4Range("0.0.0.0-255.255.255.255")
        #expect(range.count == 1 << 32)
    }
}
