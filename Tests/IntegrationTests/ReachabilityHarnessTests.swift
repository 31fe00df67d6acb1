import Foundation
import Testing
import TestSupport

/// The guests-as-namespaces harness itself, against bridges made by hand and networks made with
/// virsh directly, so that its positives and negatives are known to be real before the model
/// tests rely on them.
@Suite(.onTestThreads, .serialized) struct ReachabilityHarnessTests {
    private func linkExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/sys/class/net/\(name)")
    }

    private func namespaceExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/run/netns/\(name)")
    }

    @Test func guestsOnOneBridgeReachEachOtherAndNotAcrossBridges() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let other = try TestBridge()
        defer { other.remove() }
        let a = try GuestNamespace(bridge: bridge.name)
        defer { a.remove() }
        let b = try GuestNamespace(bridge: bridge.name)
        defer { b.remove() }
        let c = try GuestNamespace(bridge: other.name)
        defer { c.remove() }
        try a.configure(address: "10.123.\(octet).11/24")
        try b.configure(address: "10.123.\(octet).12/24")
        try c.configure(address: "10.123.\(octet).13/24")

        #expect(KernelBridge(bridge.name).ports() == [a.hostInterface, b.hostInterface].sorted())
        #expect(try a.addresses() == ["10.123.\(octet).11/24"])
        #expect(a.ping("10.123.\(octet).12"))
        #expect(b.ping("10.123.\(octet).11"))
        // The same subnet on another bridge is another L2 segment: ping must be able to fail.
        #expect(!a.ping("10.123.\(octet).13", attempts: 1))
        #expect(!c.ping("10.123.\(octet).11", attempts: 1))
        #expect(try a.run(["ip", "-o", "link", "show", "eth0"]).stdout.contains("eth0"))
    }

    @Test func removeDeletesNamespaceAndBothVethEnds() throws {
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let guest = try GuestNamespace(bridge: bridge.name)
        let outside = try OutsideNamespace()
        #expect(namespaceExists(guest.name) && linkExists(guest.hostInterface))
        #expect(namespaceExists(outside.name) && linkExists(outside.rootInterface))
        #expect(try Command.output(["ip", "-4", "-o", "addr", "show", "dev", outside.rootInterface])
            .contains("\(outside.rootAddress)/24"))
        guest.remove()
        outside.remove()
        guest.remove()  // a second removal is harmless
        #expect(!namespaceExists(guest.name) && !linkExists(guest.hostInterface))
        #expect(!namespaceExists(outside.name) && !linkExists(outside.rootInterface))
        #expect(KernelBridge(bridge.name).ports().isEmpty)
        bridge.remove()
        #expect(!KernelBridge(bridge.name).exists)
    }

    @Test func failedCreationLeavesNothingBehind() throws {
        let missing = NetObjectNames.interface(NetObjectNames.id(), "br")
        let id = NetObjectNames.id()
        // The namespace and the veth are made before plugging into the (missing) bridge fails.
        #expect(throws: (any Error).self) { _ = try GuestNamespace(bridge: missing, id: id) }
        #expect(!namespaceExists(NetObjectNames.namespace(id)))
        #expect(!linkExists(NetObjectNames.interface(id, "h")))
        // Control: the same id does make both when the bridge exists.
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let guest = try GuestNamespace(bridge: bridge.name, id: id)
        defer { guest.remove() }
        #expect(namespaceExists(NetObjectNames.namespace(id)) && linkExists(NetObjectNames.interface(id, "h")))
    }

    @Test func outsideSeesTheSourceItIsPingedFrom() throws {
        let outside = try OutsideNamespace()
        defer { outside.remove() }
        var pingStatus: Int32 = -1
        let fromRoot = try outside.observedSources { () throws in
            pingStatus = try Command.run(["ping", "-n", "-c", "1", "-W", "1", outside.address]).status
        }
        #expect(pingStatus == 0)
        #expect(fromRoot == [outside.rootAddress])
        let nothing = try outside.observedSources {}
        #expect(nothing.isEmpty)
    }

    @Test func dhcpOnAVirshIsolatedNetworkGivesAnAddressAndNoRouter() throws {
        let network = try LabNetwork.make(model: .isolated, dhcpRange: nil, backend: .virsh)
        defer { network.remove() }
        let bridge = try #require(network.bridge)
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        let address = try #require(try guest.dhcp())
        let octet = try #require(network.octet)
        #expect(address.hasPrefix("10.123.\(octet)."))
        #expect(try guest.addresses() == ["\(address)/24"])
        // libvirt's dnsmasq for an isolated network sends an empty router option (dhcp-option=3).
        #expect(try guest.defaultGateway() == nil)
        #expect(guest.ping(try #require(network.gateway)))
    }

    @Test func dhcpOnAVirshNatNetworkSetsTheDefaultRoute() throws {
        let network = try LabNetwork.make(model: .nat, backend: .virsh)
        defer { network.remove() }
        let bridge = try #require(network.bridge)
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        let address = try #require(try guest.dhcp())
        #expect(address.hasPrefix("10.123.\(try #require(network.octet))."))
        #expect(try guest.defaultGateway() == network.gateway)
    }

    @Test func firewallReaderParsesLibvirtsRuleShapes() {
        let sample = """
            *filter
            -A LIBVIRT_FWI -d 10.123.203.0/24 -o vntmanrt -j ACCEPT
            -A LIBVIRT_FWI -o vntmanrt -j REJECT --reject-with icmp-port-unreachable
            -A LIBVIRT_FWI -d 10.123.202.0/24 -o vntmannat -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A LIBVIRT_FWO -s 10.123.202.0/24 -i vntmannat -j ACCEPT
            -A LIBVIRT_FWX -i vntmannat -o vntmannat -j ACCEPT
            -A LIBVIRT_FWI -o vntmaniso -j REJECT --reject-with icmp-port-unreachable
            -A LIBVIRT_FWO -i vntmaniso -j REJECT --reject-with icmp-port-unreachable
            -A LIBVIRT_INP -i vntmaniso -p udp -m udp --dport 67 -j ACCEPT
            COMMIT
            *nat
            -A LIBVIRT_PRT -s 10.123.202.0/24 -d 224.0.0.0/24 -j RETURN
            -A LIBVIRT_PRT -s 10.123.202.0/24 ! -d 10.123.202.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535
            -A LIBVIRT_PRT -s 10.123.202.0/24 ! -d 10.123.202.0/24 -j MASQUERADE
            COMMIT
            """
        let rules = FirewallRules(iptablesSave: sample)
        let masquerade = rules.masqueradeRules(forSubnet: "10.123.202.0/24")
        #expect(masquerade.count == 2)
        #expect(masquerade.allSatisfy { $0.negatedValue(of: "-d") == "10.123.202.0/24" && $0.value(of: "-d") == nil })
        #expect(rules.masqueradeRules(forSubnet: "10.123.203.0/24").isEmpty)
        #expect(rules.natRules(forSubnet: "10.123.202.0/24").count == 3)
        #expect(rules.subnetForwardAccepts(subnet: "10.123.202.0/24", bridge: "vntmannat").count == 2)
        #expect(rules.forwardAccepts(bridge: "vntmannat").count == 3)
        #expect(rules.subnetForwardAccepts(subnet: "10.123.203.0/24", bridge: "vntmanrt").count == 1)
        #expect(rules.forwardRejects(bridge: "vntmaniso").count == 2)
        #expect(rules.forwardAccepts(bridge: "vntmaniso").isEmpty)
        #expect(rules.forwardRules(mentioning: "vntman").isEmpty)  // whole names only
        #expect(rules.inputRules(bridge: "vntmaniso").count == 1)
        #expect(rules.rules(table: "nat").count == 3)
    }

    @Test(arguments: [LabModel.isolated, .routed, .nat])
    func firewallReaderFindsWhatLibvirtWrites(model: LabModel) throws {
        let network = try LabNetwork.make(model: model, backend: .virsh)
        defer { network.remove() }
        let bridge = try #require(network.bridge)
        let subnet = try #require(network.subnet)
        let rules = try FirewallRules.current()
        #expect(rules.forwardRejects(bridge: bridge).count == 2, "\(rules.forwardRules(mentioning: bridge))")
        #expect(rules.masqueradeRules(forSubnet: subnet).isEmpty == (model != .nat))
        #expect(rules.subnetForwardAccepts(subnet: subnet, bridge: bridge).count == (model == .isolated ? 0 : 2))
        #expect(!rules.inputRules(bridge: bridge).isEmpty)
        network.remove()
        #expect(try FirewallRules.current().rules(mentioning: bridge).isEmpty)
        #expect(try FirewallRules.current().rules(mentioning: subnet).isEmpty)
    }
}
