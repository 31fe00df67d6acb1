import Testing
import VNetCore

struct DHCPPlanTests {
    let subnet = try! IPv4CIDR("10.123.4.0/24")

    func host(_ text: String) throws -> DHCPReservation {
        try DHCPReservation(text)
    }

    @Test func defaults() throws {
        let plan = try DHCPPlan(subnet: subnet)
        #expect(plan.gateway.description == "10.123.4.1")
        #expect(plan.range.description == "10.123.4.2-10.123.4.254")
        #expect(plan.reservations.isEmpty)
    }

    @Test(arguments: [
        ("10.123.4.0/30", nil, "10.123.4.1", "10.123.4.2-10.123.4.2"),
        ("10.123.4.0/30", "10.123.4.2", "10.123.4.2", "10.123.4.1-10.123.4.1"),
        ("10.123.4.0/24", "10.123.4.254", "10.123.4.254", "10.123.4.1-10.123.4.253"),
        ("10.123.4.0/24", "10.123.4.100", "10.123.4.100", "10.123.4.101-10.123.4.254"),
        ("10.123.4.0/24", "10.123.4.200", "10.123.4.200", "10.123.4.1-10.123.4.199"),
        ("10.123.4.0/24", "10.123.4.20", "10.123.4.20", "10.123.4.21-10.123.4.254"),
    ] as [(String, String?, String, String)])
    func defaultRangeAroundTheGateway(subnet: String, gateway: String?, expectedGateway: String, range: String) throws {
        let plan = try DHCPPlan(subnet: IPv4CIDR(subnet), gateway: gateway.map(IPv4Address.init))
        #expect(plan.gateway.description == expectedGateway)
        #expect(plan.range.description == range)
    }

    @Test func keepsAnExplicitRangeAndReservations() throws {
        let hosts = [
            try host("52:54:00:00:00:01,10.123.4.10,web1"),
            try host("52:54:00:00:00:02,10.123.4.150"),
        ]
        let plan = try DHCPPlan(
            subnet: subnet, gateway: IPv4Address("10.123.4.1"), range: IPv4Range("10.123.4.100-10.123.4.200"),
            reservations: hosts)
        #expect(plan.range.description == "10.123.4.100-10.123.4.200")
        #expect(plan.reservations == hosts)
    }

    @Test(arguments: [
        ("10.123.4.0/31", "subnet 10.123.4.0/31 is too small for a network with DHCP: it needs at least a /30, for the gateway and one guest"),
        ("10.123.4.0/32", "subnet 10.123.4.0/32 is too small for a network with DHCP: it needs at least a /30, for the gateway and one guest"),
    ])
    func refusesTinySubnets(subnet: String, message: String) throws {
        let cidr = try IPv4CIDR(subnet)
        let error = #expect(throws: AddressError.self) { try DHCPPlan(subnet: cidr) }
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("10.123.5.1", "gateway 10.123.5.1 is outside subnet 10.123.4.0/24; use a host address such as 10.123.4.1"),
        ("10.123.4.0", "gateway 10.123.4.0 is the network address of 10.123.4.0/24; use a host address such as 10.123.4.1"),
        ("10.123.4.255", "gateway 10.123.4.255 is the broadcast address of 10.123.4.0/24; use a host address such as 10.123.4.1"),
    ])
    func refusesBadGateways(gateway: String, message: String) throws {
        let address = try IPv4Address(gateway)
        let error = #expect(throws: AddressError.self) { try DHCPPlan(subnet: subnet, gateway: address) }
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("10.123.4.100-10.123.5.10", "10.123.4.1",
         "dhcp range 10.123.4.100-10.123.5.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254"),
        ("10.123.3.100-10.123.4.10", "10.123.4.1",
         "dhcp range 10.123.3.100-10.123.4.10 is outside subnet 10.123.4.0/24; use addresses from 10.123.4.2 to 10.123.4.254"),
        ("10.123.4.0-10.123.4.100", "10.123.4.254",
         "dhcp range 10.123.4.0-10.123.4.100 includes the network address 10.123.4.0; start it at 10.123.4.1 or later"),
        ("10.123.4.100-10.123.4.255", "10.123.4.1",
         "dhcp range 10.123.4.100-10.123.4.255 includes the broadcast address 10.123.4.255; end it at 10.123.4.254 or earlier"),
        ("10.123.4.1-10.123.4.254", "10.123.4.1",
         "dhcp range 10.123.4.1-10.123.4.254 includes the gateway 10.123.4.1; use a range without it, such as 10.123.4.2-10.123.4.254"),
        ("10.123.4.10-10.123.4.200", "10.123.4.150",
         "dhcp range 10.123.4.10-10.123.4.200 includes the gateway 10.123.4.150; use a range without it, such as 10.123.4.10-10.123.4.149"),
        ("10.123.4.1-10.123.4.1", "10.123.4.1",
         "dhcp range 10.123.4.1-10.123.4.1 includes the gateway 10.123.4.1; use a range without it, such as 10.123.4.2-10.123.4.254"),
    ])
    func refusesBadRanges(range: String, gateway: String, message: String) throws {
        let range = try IPv4Range(range)
        let gateway = try IPv4Address(gateway)
        let error = #expect(throws: AddressError.self) { try DHCPPlan(subnet: subnet, gateway: gateway, range: range) }
        #expect(error?.message == message)
    }

    @Test(arguments: [
        (["00:00:00:00:00:00,10.123.4.10"],
         "dhcp host 00:00:00:00:00:00,10.123.4.10: MAC 00:00:00:00:00:00 is all zeros; use a unicast MAC, such as one starting 52:54:00"),
        (["01:00:5e:00:00:fb,10.123.4.10"],
         "dhcp host 01:00:5e:00:00:fb,10.123.4.10: MAC 01:00:5e:00:00:fb is a multicast address (its first octet is odd); use a unicast MAC, such as one starting 52:54:00"),
        (["52:54:00:00:00:01,10.123.5.10"],
         "dhcp host 52:54:00:00:00:01,10.123.5.10: IP 10.123.5.10 is outside subnet 10.123.4.0/24; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.0"],
         "dhcp host 52:54:00:00:00:01,10.123.4.0: IP 10.123.4.0 is the network address of 10.123.4.0/24; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.255"],
         "dhcp host 52:54:00:00:00:01,10.123.4.255: IP 10.123.4.255 is the broadcast address of 10.123.4.0/24; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.1"],
         "dhcp host 52:54:00:00:00:01,10.123.4.1: IP 10.123.4.1 is the gateway's address; use another address of 10.123.4.0/24"),
        (["52:54:00:00:00:01,10.123.4.10,web_1"],
         "dhcp host 52:54:00:00:00:01,10.123.4.10,web_1: hostname 'web_1' is not a DNS name; use labels of 1-63 letters, digits and '-', not starting or ending with '-', joined by dots (web1, web1.lab.example)"),
        (["52:54:00:00:00:01,10.123.4.10,-web"],
         "dhcp host 52:54:00:00:00:01,10.123.4.10,-web: hostname '-web' is not a DNS name; use labels of 1-63 letters, digits and '-', not starting or ending with '-', joined by dots (web1, web1.lab.example)"),
        (["52:54:00:00:00:01,10.123.4.10,web..lab"],
         "dhcp host 52:54:00:00:00:01,10.123.4.10,web..lab: hostname 'web..lab' is not a DNS name; use labels of 1-63 letters, digits and '-', not starting or ending with '-', joined by dots (web1, web1.lab.example)"),
        (["52:54:00:00:00:01,10.123.4.10,"],
         "dhcp host 52:54:00:00:00:01,10.123.4.10,: hostname '' is not a DNS name; use labels of 1-63 letters, digits and '-', not starting or ending with '-', joined by dots (web1, web1.lab.example)"),
        (["52:54:00:00:00:01,10.123.4.10", "52:54:00:00:00:01,10.123.4.11"],
         "dhcp host 52:54:00:00:00:01,10.123.4.11: MAC 52:54:00:00:00:01 is already reserved by reservation 52:54:00:00:00:01,10.123.4.10; give each MAC one reservation"),
        (["52:54:00:00:00:01,10.123.4.10", "52:54:00:00:00:02,10.123.4.10"],
         "dhcp host 52:54:00:00:00:02,10.123.4.10: IP 10.123.4.10 is already reserved by reservation 52:54:00:00:00:01,10.123.4.10; give each guest its own address"),
        (["52:54:00:00:00:01,10.123.4.10,web", "52:54:00:00:00:02,10.123.4.11,WEB"],
         "dhcp host 52:54:00:00:00:02,10.123.4.11,WEB: hostname 'WEB' is already used by reservation 52:54:00:00:00:01,10.123.4.10,web; give each guest its own hostname"),
    ])
    func refusesBadReservations(hosts: [String], message: String) throws {
        let reservations = try hosts.map(host)
        let error = #expect(throws: AddressError.self) { try DHCPPlan(subnet: subnet, reservations: reservations) }
        #expect(error?.message == message)
    }

    @Test func allowsReservationsInsideTheRange() throws {
        let plan = try DHCPPlan(subnet: subnet, reservations: [try host("52:54:00:00:00:01,10.123.4.2,a"), try host("52-54-00-00-00-02,10.123.4.254")])
        #expect(plan.range.contains(plan.reservations[0].ip))
        #expect(plan.reservations[1].description == "52:54:00:00:00:02,10.123.4.254")
    }

    @Test(arguments: [
        ("52:54:00:00:00:01", "dhcp host '52:54:00:00:00:01': expected MAC,IP[,HOSTNAME], like 52:54:00:12:34:56,10.123.4.10,web1"),
        ("52:54:00:00:00:01,10.123.4.10,web,x", "dhcp host '52:54:00:00:00:01,10.123.4.10,web,x': expected MAC,IP[,HOSTNAME], like 52:54:00:12:34:56,10.123.4.10,web1"),
        ("52:54:00:00:01,10.123.4.10", "dhcp host '52:54:00:00:01,10.123.4.10': '52:54:00:00:01' is not a valid MAC address: expected six pairs of hex digits separated by ':' or '-', like 52:54:00:ab:cd:ef"),
        ("52:54:00:00:00:01,10.123.4", "dhcp host '52:54:00:00:00:01,10.123.4': '10.123.4' is not a valid IPv4 address: expected four numbers 0-255 separated by dots, like 10.123.4.1"),
    ])
    func refusesBadHostSyntax(text: String, message: String) {
        let error = #expect(throws: AddressError.self) { try DHCPReservation(text) }
        #expect(error?.message == message)
    }

    @Test func reservationParsesItsParts() throws {
        let reservation = try host("52:54:00:AB:CD:EF,10.123.4.10,web1")
        #expect(reservation == DHCPReservation(mac: try MACAddress("52:54:00:ab:cd:ef"), ip: IPv4Address(10, 123, 4, 10), hostname: "web1"))
        #expect(reservation.description == "52:54:00:ab:cd:ef,10.123.4.10,web1")
    }
}
