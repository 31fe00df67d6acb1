import Foundation
import Testing
@testable import VNetCore

/// `NetworkConfig` reads each form of network XML into the same typed facts, without a daemon.
struct NetworkConfigTests {
    static func config(_ xml: String) throws -> NetworkConfig { try NetworkConfig(xml: xml, source: "fixture") }

    /// Fixture → (model as shown, forward mode, uplink, addresses with their prefix).
    static let forms: [(String, String, String?, String?, [String])] = [
        (NetworkXMLFixtures.prefix, "nat", "nat", nil, ["10.123.5.1/24"]),
        (NetworkXMLFixtures.netmask, "nat", "nat", nil, ["192.168.122.1/24"]),
        (NetworkXMLFixtures.classful, "isolated", nil, nil, ["10.24.10.1/8", "172.16.4.1/16", "192.168.9.1/24", "fd00:24::1/64"]),
        (NetworkXMLFixtures.dhcpv6, "isolated", nil, nil, ["10.123.6.1/24", "fd00:6::1/64"]),
        (NetworkXMLFixtures.fqdn, "isolated", nil, nil, ["10.123.7.1/24"]),
        (NetworkXMLFixtures.forwardDevAndInterface, "routed", "route", "eth1", ["10.123.8.1/24"]),
        (NetworkXMLFixtures.forwardWithoutMode, "nat", "nat", nil, ["10.123.9.1/24"]),
        (NetworkXMLFixtures.open, "open", "open", nil, ["10.123.10.1/24"]),
        (NetworkXMLFixtures.isolated, "isolated", nil, nil, ["10.123.11.1/24"]),
        (NetworkXMLFixtures.bridgeOnHostBridge, "bridged", "bridge", nil, []),
        (NetworkXMLFixtures.bridgeMacvtap, "bridged", "bridge", "eth0", []),
        (NetworkXMLFixtures.privateMode, "private", "private", "eth0", []),
        (NetworkXMLFixtures.vepa, "vepa", "vepa", "eth3", []),
        (NetworkXMLFixtures.passthrough, "passthrough", "passthrough", "eth4", []),
        (NetworkXMLFixtures.hostdev, "hostdev", "hostdev", nil, []),
        (NetworkXMLFixtures.managed, "nat", "nat", nil, ["10.123.12.1/24"]),
    ]

    @Test(arguments: forms)
    func readsEveryForm(xml: String, model: String, mode: String?, uplink: String?, addresses: [String]) throws {
        let config = try Self.config(xml)
        #expect(config.modelName == model)
        #expect(config.forward?.mode == mode)
        #expect(config.forward?.uplink == uplink)
        #expect(config.ips.map(\.cidrText) == addresses)
    }

    /// prefix / netmask / neither, as libvirt's `virNetworkIPDefPrefix` decides it.
    @Test(arguments: [
        ("10.1.2.3", NetworkConfig.IPFamily.ipv4, "16", nil, 16), ("10.1.2.3", .ipv4, nil, "255.255.252.0", 22),
        ("10.1.2.3", .ipv4, "0", "255.0.0.0", 8), ("10.1.2.3", .ipv4, nil, nil, 8), ("150.1.2.3", .ipv4, nil, nil, 16),
        ("200.1.2.3", .ipv4, nil, nil, 24), ("fd00::1", .ipv6, nil, nil, 64), ("fd00::1", .ipv6, "48", nil, 48),
    ] as [(String, NetworkConfig.IPFamily, String?, String?, Int)])
    func prefixRule(address: String, family: NetworkConfig.IPFamily, prefix: String?, netmask: String?, expected: Int) {
        #expect(NetworkConfig.prefix(address: address, family: family, prefix: prefix, netmask: netmask) == expected)
    }

    @Test(arguments: ["255.0.255.0", "255.255.255", "a.b.c.d", "255.255.255.256"])
    func aNonContiguousOrMalformedNetmaskHasNoPrefix(netmask: String) {
        #expect(NetworkConfig.prefixLength(ofNetmask: netmask) == nil)
        #expect(NetworkConfig.prefix(address: "10.1.2.3", family: .ipv4, prefix: nil, netmask: netmask) == nil)
    }

    @Test func readsBothDHCPFamiliesWithIPv6HostsByIDAndName() throws {
        let config = try Self.config(NetworkXMLFixtures.dhcpv6)
        #expect(config.ips(.ipv4)[0].dhcpRanges.map(\.description) == ["10.123.6.10-10.123.6.20"])
        let v6 = config.ips(.ipv6)[0]
        #expect(v6.dhcp && v6.dhcpRanges.map(\.description) == ["fd00:6::100-fd00:6::1ff"])
        #expect(v6.dhcpHosts == [
            .init(mac: nil, id: "0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63", name: "v6a", ip: "fd00:6::10"),
            .init(mac: nil, id: nil, name: "v6b", ip: "fd00:6::11"),
        ])
        #expect(config.dhcpHosts.count == 3)
    }

    @Test func readsFQDNHostnamesAndEveryDNSHostname() throws {
        let config = try Self.config(NetworkXMLFixtures.fqdn)
        #expect(config.dhcpHosts.map(\.name) == ["a.example.com"])
        #expect(config.dnsHosts == [.init(ip: "10.123.7.20", hostnames: ["a.example.com", "a"])])
    }

    @Test func readsTheNetworksMACBridgeAndUUID() throws {
        let config = try Self.config(NetworkXMLFixtures.netmask)
        #expect(config.mac == "52:54:00:0A:0B:0C")
        #expect(config.bridge == .init(name: "virbr0", stp: "on", delay: "0"))
        #expect(config.uuid == "3c6b2b0e-3c43-4f6f-9b2e-0b2f0d5b1a11")
        #expect(config.metadata == nil)
    }

    @Test func readsMacvtapPoolsAndPhysicalFunctions() throws {
        #expect(try Self.config(NetworkXMLFixtures.bridgeMacvtap).forward?.interfaces == ["eth0", "eth2"])
        #expect(try Self.config(NetworkXMLFixtures.bridgeOnHostBridge).bridge?.name == "br0")
        let hostdev = try Self.config(NetworkXMLFixtures.hostdev)
        #expect(hostdev.forward?.physicalFunction == "eth5" && hostdev.model == nil)
    }

    @Test func readsVNetCtlsMetadataMTUAndDomain() throws {
        let config = try Self.config(NetworkXMLFixtures.managed)
        #expect(config.metadata == .init(template: "nat", topology: "t1"))
        #expect(config.mtu == 9000 && config.domain == "lab.example")
    }

    @Test func refusesADocumentThatIsNoNetwork() {
        #expect(throws: (any Error).self) { try Self.config("<domain><name>x</name></domain>") }
    }

    /// The facts `apply` compares: a netmask and its prefix, and a forward dev saved twice, are
    /// the same network.
    @Test func factsOfEquivalentFormsAreEqual() throws {
        let netmask = NetworkFacts(try Self.config(NetworkXMLFixtures.netmask))
        let prefixed = NetworkFacts(try Self.config(NetworkXMLFixtures.netmask.replacingOccurrences(of: "netmask='255.255.255.0'", with: "prefix='24'")))
        #expect(netmask == prefixed)
        #expect(netmask.shape["ipv4"] == "192.168.122.1/24")
        let both = NetworkFacts(try Self.config(NetworkXMLFixtures.forwardDevAndInterface))
        let devOnly = NetworkFacts(try Self.config(NetworkXMLFixtures.forwardDevAndInterface.replacingOccurrences(of: "<interface dev='eth1'/>", with: "")))
        #expect(both == devOnly && both.shape["uplink"] == "eth1")
    }

    /// DHCPv6 is part of a network's shape: `apply` never removes it as if it were a stale reservation.
    @Test func dhcpv6IsShapeNotReservations() throws {
        let facts = NetworkFacts(try Self.config(NetworkXMLFixtures.dhcpv6))
        #expect(facts.dhcpHosts.map(\.ip) == ["10.123.6.11"])
        #expect(facts.shape["dhcpv6"]?.contains("id=0:4:7e") == true)
        #expect(facts.shape["dhcpv6"]?.contains("range fd00:6::100-fd00:6::1ff") == true)
    }
}
