import Foundation
import Testing
import VNetCore

struct CodingTests {
    struct Everything: Codable, Equatable {
        var v4: IPv4Address
        var v6: IPv6Address
        var ip: IPAddress
        var mac: MACAddress
        var cidr: IPv4CIDR
        var cidr6: IPv6CIDR
        var range: IPv4Range
        var interface: InterfaceName
        var name: ObjectName
    }

    @Test func encodesEveryValueAsItsText() throws {
        let value = Everything(
            v4: try IPv4Address("10.123.4.1"), v6: try IPv6Address("fd00:123::1"), ip: try IPAddress("::1"),
            mac: try MACAddress("52:54:00:ab:cd:ef"), cidr: try IPv4CIDR("10.123.4.0/24"),
            cidr6: try IPv6CIDR("fd00:123::/64"), range: try IPv4Range("10.123.4.2-10.123.4.254"),
            interface: try InterfaceName("virbr-lab"), name: try ObjectName("lab-nat"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(
            json == #"{"cidr":"10.123.4.0/24","cidr6":"fd00:123::/64","interface":"virbr-lab","ip":"::1","#
                + #""mac":"52:54:00:ab:cd:ef","name":"lab-nat","range":"10.123.4.2-10.123.4.254","#
                + #""v4":"10.123.4.1","v6":"fd00:123::1"}"#)
        #expect(try JSONDecoder().decode(Everything.self, from: Data(json.utf8)) == value)
    }

    @Test func decodingReportsTheParseError() {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([IPv4CIDR].self, from: Data(#"["10.123.4.1/24"]"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription == "10.123.4.1/24 is not a network address; did you mean 10.123.4.0/24?")
    }

    @Test func encodesAPlan() throws {
        let plan = try DHCPPlan(
            subnet: IPv4CIDR("10.123.4.0/24"), reservations: [DHCPReservation("52:54:00:00:00:01,10.123.4.10,web1")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(
            String(decoding: try encoder.encode(plan), as: UTF8.self)
                == #"{"gateway":"10.123.4.1","range":"10.123.4.2-10.123.4.254","#
                + #""reservations":[{"hostname":"web1","ip":"10.123.4.10","mac":"52:54:00:00:00:01"}],"#
                + #""subnet":"10.123.4.0/24"}"#)
    }
}
