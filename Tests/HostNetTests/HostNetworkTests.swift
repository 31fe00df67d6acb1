import Foundation
import Testing

@testable import HostNet

/// Reads the kernel's view through HostNet and checks it against objects the tests make with `ip`.
///
/// Needs root. Every object has a `vnth` name and addresses inside 10.123.0.0/16, and is deleted
/// even when a check fails.
@Suite(.serialized)
struct HostNetworkTests {
    @Test func loopbackIsFoundWithItsAddress() throws {
        let lo = try #require(try HostNetwork.link(named: "lo"))
        #expect(lo.kind == .loopback)
        #expect(lo.mac == nil)
        #expect(lo.isUp)
        #expect(try HostNetwork.links().contains(lo))
        let addresses = try HostNetwork.addresses().filter { $0.linkName == "lo" }
        #expect(addresses.contains(
            HostAddress(linkIndex: lo.index, linkName: "lo", family: .ipv4, address: "127.0.0.1", prefixLength: 8)))
    }

    /// The kinds of link the address and route checks run on; some kernels lack the dummy driver.
    enum LinkType: String, CaseIterable, Sendable {
        case dummy, veth

        /// Creates a link of this type named `name` (and, for veth, its peer `name` + "p").
        func create(_ name: String) throws {
            switch self {
            case .dummy:
                do {
                    try IPCommand.run("link", "add", name, "type", "dummy")
                } catch let failure as IPCommand.Failure where failure.description.contains("Unknown device type") {
                    try Test.cancel("this kernel has no dummy driver")
                }
            case .veth:
                try IPCommand.run("link", "add", name, "type", "veth", "peer", "name", name + "p")
                try IPCommand.run("link", "set", name + "p", "up")
            }
        }
    }

    @Test(arguments: LinkType.allCases)
    func linkWithAddressesAndConnectedRoutes(type: LinkType) throws {
        let name = IPCommand.uniqueName("vnth", hexDigits: 6)
        defer { _ = try? IPCommand.run("link", "del", name) }
        try type.create(name)
        try IPCommand.run("addr", "add", "10.123.250.1/24", "dev", name)
        try IPCommand.run("-6", "addr", "add", "fd00:123:250::1/64", "dev", name, "nodad")
        try IPCommand.run("link", "set", name, "mtu", "1400", "up")

        let kernel = try #require(try IPCommand.links().first { $0.ifname == name })
        let link = try #require(try HostNetwork.links().first { $0.name == name })
        #expect(link.index == kernel.ifindex)
        #expect(link.kind.rawValue == type.rawValue)
        #expect(link.kernelKind == type.rawValue)
        #expect(link.mac == kernel.address)
        #expect(link.mtu == 1400)
        #expect(link.isUp)
        #expect(link.masterIndex == nil)
        #expect(try HostNetwork.link(named: name) == link)

        let addresses = try HostNetwork.addresses().filter { $0.linkIndex == link.index }
        #expect(addresses.contains(
            HostAddress(linkIndex: link.index, linkName: name, family: .ipv4, address: "10.123.250.1", prefixLength: 24)))
        #expect(addresses.contains(
            HostAddress(linkIndex: link.index, linkName: name, family: .ipv6, address: "fd00:123:250::1", prefixLength: 64)))

        let routes = try HostNetwork.routes().filter { $0.linkIndex == link.index }
        #expect(routes.contains(
            HostRoute(family: .ipv4, destination: "10.123.250.0", prefixLength: 24, linkIndex: link.index, linkName: name, table: 254)))
        #expect(routes.contains(
            HostRoute(family: .ipv6, destination: "fd00:123:250::", prefixLength: 64, linkIndex: link.index, linkName: name, table: 254)))
    }

    @Test func gatewayAndDefaultRoutesInAnotherTable() throws {
        let name = IPCommand.uniqueName("vnth", hexDigits: 6)
        defer { _ = try? IPCommand.run("link", "del", name) }
        try LinkType.veth.create(name)
        try IPCommand.run("addr", "add", "10.123.251.1/24", "dev", name)
        try IPCommand.run("link", "set", name, "up")
        try IPCommand.run("route", "add", "10.123.252.0/24", "via", "10.123.251.254", "dev", name)
        try IPCommand.run("route", "add", "default", "via", "10.123.251.254", "dev", name, "table", "4242")

        let index = try #require(try HostNetwork.link(named: name)).index
        let routes = try HostNetwork.routes().filter { $0.linkIndex == index }
        #expect(routes.contains(HostRoute(
            family: .ipv4, destination: "10.123.252.0", prefixLength: 24, gateway: "10.123.251.254",
            linkIndex: index, linkName: name, table: 254)))
        let fallback = try #require(routes.first { $0.table == 4242 })
        #expect(fallback.isDefault)
        #expect(fallback.destination == "0.0.0.0")
        #expect(fallback.gateway == "10.123.251.254")
        // Local routes (the host's own 10.123.251.1) belong to addresses(), not routes().
        #expect(!routes.contains { $0.destination == "10.123.251.1" })
    }

    @Test func bridgeWithVethPort() throws {
        let suffix = IPCommand.uniqueName("", hexDigits: 4)
        let bridge = "vnthbr" + suffix
        let port = "vnthva" + suffix
        let peer = "vnthvb" + suffix
        try IPCommand.run("link", "add", bridge, "type", "bridge")
        defer { _ = try? IPCommand.run("link", "del", bridge) }
        try IPCommand.run("link", "add", port, "type", "veth", "peer", "name", peer)
        defer { _ = try? IPCommand.run("link", "del", port) }
        try IPCommand.run("link", "set", port, "master", bridge)

        let links = try HostNetwork.links()
        let bridgeLink = try #require(links.first { $0.name == bridge })
        let portLink = try #require(links.first { $0.name == port })
        let peerLink = try #require(links.first { $0.name == peer })
        #expect(bridgeLink.kind == .bridge)
        #expect(bridgeLink.masterIndex == nil)
        #expect(portLink.kind == .veth)
        #expect(peerLink.kind == .veth)
        #expect(portLink.masterIndex == bridgeLink.index)
        #expect(peerLink.masterIndex == nil)
        #expect(try HostNetwork.bridgePorts(of: bridge) == [portLink])
        #expect(try HostNetwork.bridgeSTP(bridge) == false)
        #expect(try HostNetwork.bridgeSTP(port) == nil)
        #expect(try HostNetwork.bridgePorts(of: port) == [])
    }

    /// A static entry added with `bridge fdb` on a bridge port is read with its port and bridge.
    @Test func forwardingDatabaseHoldsAnEntryOfABridgePort() throws {
        let suffix = IPCommand.uniqueName("", hexDigits: 4)
        let bridge = "vnthbf" + suffix, port = "vnthfa" + suffix, peer = "vnthfb" + suffix
        try IPCommand.run("link", "add", bridge, "type", "bridge")
        defer { _ = try? IPCommand.run("link", "del", bridge) }
        try IPCommand.run("link", "add", port, "type", "veth", "peer", "name", peer)
        defer { _ = try? IPCommand.run("link", "del", port) }
        try IPCommand.run("link", "set", port, "master", bridge)
        let mac = "52:54:00:7e:" + suffix.prefix(2) + ":" + suffix.suffix(2)
        let add = Process()
        add.executableURL = URL(fileURLWithPath: "/usr/sbin/bridge")
        add.arguments = ["fdb", "add", mac, "dev", port, "master", "static"]
        try add.run()
        add.waitUntilExit()
        try #require(add.terminationStatus == 0, "bridge fdb add failed")

        let links = try HostNetwork.links()
        let bridgeIndex = try #require(links.first { $0.name == bridge }).index
        let portIndex = try #require(links.first { $0.name == port }).index
        let entries = try HostNetwork.forwardingDatabase().filter { $0.mac == mac }
        #expect(entries.contains { $0.linkIndex == portIndex && $0.masterIndex == bridgeIndex }, "\(entries)")
        #expect(!entries.isEmpty && entries.allSatisfy(\.permanent), "a static entry is no learned one: \(entries)")
    }

    @Test func linksMatchIPLinkInThisNamespace() throws {
        // Other processes may add or remove links meanwhile: compare only when `ip` saw the same
        // links just before and just after.
        for _ in 0..<5 {
            let before = try IPCommand.links().map { "\($0.ifindex) \($0.ifname)" }
            let links = try HostNetwork.links().map { "\($0.index) \($0.name)" }
            let after = try IPCommand.links().map { "\($0.ifindex) \($0.ifname)" }
            if Set(before) == Set(after) {
                #expect(Set(links) == Set(before))
                return
            }
        }
        Issue.record("the host's links kept changing")
    }

    @Test func readsTheCallingThreadsNamespace() throws {
        let namespace = IPCommand.uniqueName("vnthns-", hexDigits: 4)
        let name = IPCommand.uniqueName("vnth", hexDigits: 6)
        try IPCommand.run("netns", "add", namespace)
        defer { _ = try? IPCommand.run("netns", "del", namespace) }
        try IPCommand.run("-n", namespace, "link", "add", name, "type", "veth", "peer", "name", name + "p")
        try IPCommand.run("-n", namespace, "addr", "add", "10.123.253.1/24", "dev", name)
        try IPCommand.run("-n", namespace, "link", "set", name, "up")

        let (links, routes) = try NetworkNamespace.run(in: namespace) {
            (try HostNetwork.links(), try HostNetwork.routes())
        }
        #expect(Set(links.map(\.name)) == ["lo", name, name + "p"])
        #expect(routes.map(\.destination) == ["10.123.253.0"])
        #expect(try HostNetwork.link(named: name) == nil)
    }

    /// `linkSettings(of:)` reads every link at once; it must give, link by link, what the one-link
    /// readers give. Checked over every link of a namespace of the test's own (a bridge with a veth
    /// port, primary, secondary and labelled IPv4 addresses, IPv6, routes in two tables), and for a
    /// bridge's STP and forward delay in this namespace, where `/sys` shows them.
    @Test func linkSettingsReadAtOnceMatchTheOneLinkReaders() throws {
        let namespace = IPCommand.uniqueName("vnthns-", hexDigits: 4)
        let suffix = IPCommand.uniqueName("", hexDigits: 4)
        let bridge = "vnthsb" + suffix, port = "vnthsa" + suffix, peer = "vnthsp" + suffix
        try IPCommand.run("netns", "add", namespace)
        defer { _ = try? IPCommand.run("netns", "del", namespace) }
        for arguments in [
            ["link", "add", bridge, "type", "bridge"],
            ["link", "add", port, "type", "veth", "peer", "name", peer],
            ["link", "set", port, "master", bridge],
            // No IPv6 link-local addresses: they would appear between the two reads.
            ["link", "set", bridge, "addrgenmode", "none"], ["link", "set", port, "addrgenmode", "none"],
            ["link", "set", peer, "addrgenmode", "none"],
            ["addr", "add", "10.123.254.2/24", "brd", "10.123.254.255", "dev", bridge],
            ["addr", "add", "10.123.254.3/24", "dev", bridge, "label", bridge + ":1"],
            ["-6", "addr", "add", "fd00:123:254::2/64", "dev", bridge, "nodad"],
            ["addr", "add", "10.123.249.1/24", "dev", peer],
            ["link", "set", bridge, "up"], ["link", "set", port, "up"], ["link", "set", peer, "up"],
            ["route", "add", "10.123.248.0/24", "via", "10.123.254.1", "dev", bridge, "metric", "50"],
            ["route", "add", "default", "via", "10.123.254.1", "dev", bridge, "table", "4243"],
            ["-6", "route", "add", "default", "via", "fd00:123:254::1", "dev", bridge, "metric", "1024"],
            ["route", "add", "10.123.247.0/24", "via", "10.123.249.254", "dev", peer, "proto", "static"],
        ] {
            try IPCommand.run(["-n", namespace] + arguments)
        }

        let (all, one) = try NetworkNamespace.run(in: namespace) { () throws -> (HostLinkSettings, HostLinkSettings) in
            let links = try HostNetwork.links()
            let all = try HostNetwork.linkSettings(of: links)
            var one = HostLinkSettings()
            for link in links {
                let addresses = try HostNetwork.addressSettings(of: link.name)
                let routes = try HostNetwork.routeSettings(through: link.name)
                if !addresses.isEmpty { one.addresses[link.name] = addresses }
                if !routes.isEmpty { one.routes[link.name] = routes }
            }
            return (all, one)
        }
        #expect(all.addresses == one.addresses)
        #expect(all.routes == one.routes)
        #expect(all.addresses[bridge]?.map(\.cidr) == ["10.123.254.2/24", "10.123.254.3/24", "fd00:123:254::2/64"])
        #expect(all.addresses[bridge]?[1].labelSuffix == ":1")
        #expect(all.routes[bridge]?.count == 3)
        #expect(all.routes[peer]?.count == 1)

        let hostBridge = "vnthst" + suffix
        try IPCommand.run("link", "add", hostBridge, "type", "bridge", "stp_state", "1", "forward_delay", "700")
        defer { _ = try? IPCommand.run("link", "del", hostBridge) }
        let settings = try HostNetwork.linkSettings(of: try HostNetwork.links())
        #expect(settings.stp[hostBridge] == true)
        #expect(settings.stp[hostBridge] == (try HostNetwork.bridgeSTP(hostBridge)))
        #expect(settings.forwardDelay[hostBridge] == 7)
        #expect(settings.forwardDelay[hostBridge] == (try HostNetwork.bridgeForwardDelay(hostBridge)))
        #expect(settings.addresses[hostBridge] == nil)
    }

    @Test func missingNamesReadAsAbsent() throws {
        let name = IPCommand.uniqueName("vnth", hexDigits: 6)
        #expect(try HostNetwork.link(named: name) == nil)
        #expect(try HostNetwork.link(named: "") == nil)
        #expect(try HostNetwork.link(named: String(repeating: "x", count: 40)) == nil)
        #expect(try HostNetwork.bridgeSTP(name) == nil)
        #expect(try HostNetwork.bridgeSTP("../lo") == nil)
        #expect(throws: HostNetError(message: "no network interface named \(name)")) {
            try HostNetwork.bridgePorts(of: name)
        }
    }
}
