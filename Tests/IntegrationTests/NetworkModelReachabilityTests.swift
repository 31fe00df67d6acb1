import Foundation
import Testing
import TestSupport

/// What guests of each model can reach, proven with guests-as-namespaces plugged into the
/// network's bridge and an "outside" namespace routed from the root namespace (10.123.A.0/24,
/// host 10.123.A.1, outside 10.123.A.2), which records the source address of every ping it gets.
@Suite(.onTestThreads, .serialized) struct NetworkModelReachabilityTests {
    @Test func isolatedGuestsReachEachOtherAndTheHostButNotTheOutside() throws {
        let network = try LabNetwork.make(model: .isolated)
        defer { network.remove() }
        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let bridge = try #require(network.bridge)
        let subnet = try #require(network.subnet)
        let gateway = try #require(network.gateway)
        let a = try GuestNamespace(bridge: bridge)
        defer { a.remove() }
        let b = try GuestNamespace(bridge: bridge)
        defer { b.remove() }

        let addressA = try #require(try a.dhcp(), "no DHCP lease on the isolated network")
        let addressB = try #require(try b.dhcp(), "no DHCP lease on the isolated network")
        #expect(addressA != addressB)
        #expect(try a.defaultGateway() == nil, "an isolated network offers no router")
        #expect(a.ping(addressB))
        #expect(b.ping(addressA))
        #expect(a.ping(gateway))

        // Give the guest and the outside every route they would need, so that only the host's
        // forwarding rules stand between them; then the outside must see nothing from the guest.
        try a.addRoute(outside.subnet, via: gateway)
        try outside.addRoute(to: subnet)
        let seen = try outside.observedSources { #expect(!a.ping(outside.address, attempts: 2)) }
        #expect(seen.isEmpty, "the outside was reached from \(seen)")
        // Control: the outside itself is up and reachable from the host.
        #expect(try Command.run(["ping", "-n", "-c", "1", "-W", "1", outside.address]).status == 0)
        // And the outside cannot reach in.
        #expect(!outside.ping(addressA, attempts: 1))
    }

    @Test func natGuestReachesTheOutsideAsTheHost() throws {
        let network = try LabNetwork.make(model: .nat)
        defer { network.remove() }
        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let bridge = try #require(network.bridge)
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }

        let address = try #require(try guest.dhcp(), "no DHCP lease on the nat network")
        #expect(try guest.defaultGateway() == network.gateway)
        #expect(guest.ping(outside.address))
        let source = try outside.observedSource(from: guest)
        #expect(source == outside.rootAddress, "the outside saw \(String(describing: source)), not the host's address")
        #expect(source != address)

        // Replies only: even with a route to the subnet, the outside cannot open a connection in.
        try outside.addRoute(to: try #require(network.subnet))
        #expect(!outside.ping(address, attempts: 1))
    }

    @Test func routedGuestReachesTheOutsideWithItsOwnAddress() throws {
        let network = try LabNetwork.make(model: .routed)
        defer { network.remove() }
        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let bridge = try #require(network.bridge)
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        let subnet = try #require(network.subnet)

        let address = try #require(try guest.dhcp(), "no DHCP lease on the routed network")
        #expect(try guest.defaultGateway() == network.gateway)

        // Without the upstream route the request gets out, unmasqueraded, but no reply comes back.
        let withoutRoute = try outside.observedSources { #expect(!guest.ping(outside.address, attempts: 1)) }
        #expect(withoutRoute == [address])

        // With "the route the upstream router needs" (SUBNET via the host), both ways work.
        try outside.addRoute(to: subnet)
        #expect(guest.ping(outside.address))
        #expect(try outside.observedSource(from: guest) == address)
        #expect(outside.ping(address), "a routed guest is reachable from outside once the route exists")
    }

    @Test func reservedMACGetsItsReservedAddress() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let mac = NetworkModelKernelTests.randomMAC()
        let reserved = "10.123.\(octet).77"
        let network = try LabNetwork.make(
            model: .nat, octet: octet, dhcpRange: "10.123.\(octet).100-10.123.\(octet).200",
            hosts: [LabReservation(mac: mac, ip: reserved, hostname: "vnt-reserved")])
        defer { network.remove() }
        let bridge = try #require(network.bridge)
        let guest = try GuestNamespace(bridge: bridge, mac: mac)
        defer { guest.remove() }
        let other = try GuestNamespace(bridge: bridge)
        defer { other.remove() }
        #expect(try guest.macAddress() == mac)
        #expect(try guest.dhcp() == reserved)
        // A guest without a reservation gets an address from the range instead.
        let dynamic = try #require(try other.dhcp())
        let last = try #require(Int(dynamic.split(separator: ".").last ?? ""))
        #expect((100...200).contains(last), "\(dynamic) is outside the range")
    }
}
