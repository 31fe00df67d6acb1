import HostNet
import Testing
@testable import VNetCore

/// The picture and its DOT text from hand-built configs and host facts: a running VM's taps on
/// their bridges, a stopped VM's NICs straight to the bridge, a macvtap NIC on its uplink, the way
/// out by the default route's link, a host bridge with its physical port, a forward to the guest's NIC.
@Suite struct HostGraphTests {
    static let host = HostFacts(
        links: [
            HostLink(index: 2, name: "eth0", kind: .ethernet, mac: "52:54:00:aa:00:01", mtu: 1500, isUp: true),
            HostLink(index: 3, name: "eth1", kind: .ethernet, mac: "52:54:00:aa:00:02", mtu: 1500, isUp: true, masterIndex: 4),
            HostLink(index: 4, name: "br0", kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true),
            HostLink(index: 5, name: "vnet7", kind: .tun, kernelKind: "tun", mtu: 1500, isUp: true, masterIndex: 6),
            HostLink(index: 6, name: "virbr9", kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true),
            HostLink(index: 7, name: "vntx1", kind: .veth, kernelKind: "veth", mtu: 1500, isUp: true),
        ],
        addresses: [HostAddress(linkIndex: 2, linkName: "eth0", family: .ipv4, address: "192.0.2.10", prefixLength: 24)],
        routes: [HostRoute(family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "192.0.2.1", linkIndex: 2, table: 254)])

    static let nat = try! NetworkConfig(xml: """
        <network><name>lab-nat</name><forward mode='nat'/><bridge name='virbr9'/>
          <metadata><vnetctl:network xmlns:vnetctl='https://vnetctl.dev/xmlns/vnetctl/1' template='nat'>
            <vnetctl:forward protocol='tcp' host-ports='8080' guest='10.123.9.11' guest-ports='80'/></vnetctl:network></metadata>
          <ip address='10.123.9.1' prefix='24'><dhcp><range start='10.123.9.100' end='10.123.9.200'/>
            <host mac='52:54:00:00:09:11' ip='10.123.9.11'/></dhcp></ip></network>
        """, source: "nat")
    static let lan = try! NetworkConfig(
        xml: "<network><name>lab-lan</name><forward mode='bridge'/><bridge name='br0'/></network>", source: "lan")
    static let isolated = try! NetworkConfig(
        xml: "<network><name>lab-iso</name><bridge name='virbr8'/><ip address='10.123.8.1' prefix='24'/></network>", source: "iso")

    static var picture: HostPicture {
        let configs = [nat, lan, isolated]
        let networks = configs.map { HostPicture.network($0, active: true, host: host) }
        let web = HostPicture.vm(
            "web1", state: "running", running: true,
            nics: [DomainNIC(kind: "network", source: .init(network: "lab-nat", bridge: "virbr9"), mac: "52:54:00:00:09:11", tap: "vnet7")],
            networks: configs, leases: [])
        let db = HostPicture.vm(
            "db1", state: "shut off", running: false,
            nics: [DomainNIC(kind: "network", source: .init(network: "lab-iso"), mac: "52:54:00:00:08:12"),
                   DomainNIC(kind: "bridge", source: .init(bridge: "br0"), mac: "52:54:00:00:00:13")],
            networks: configs, leases: [])
        let probe = HostPicture.vm(
            "probe", state: "shut off", running: false,
            nics: [DomainNIC(kind: "direct", source: .init(dev: "eth0", mode: "bridge"), mac: "52:54:00:00:00:14")],
            networks: configs, leases: [])
        return HostPicture.completed(networks: networks, vms: [web, db, probe], host: host)
    }

    @Test func thePictureHoldsTheHostsPartsThatMatter() {
        let picture = Self.picture
        #expect(picture.uplinks.map(\.name) == ["eth0", "eth1"], "physical links; no test veth")
        #expect(picture.uplinks.first?.defaultRoute == true && picture.uplinks.first?.addresses == ["192.0.2.10/24"])
        #expect(picture.bridges.map(\.name) == ["br0"] && picture.bridges.first?.ports == ["eth1"], "libvirt's bridges are networks")
        #expect(picture.networks.map(\.uplinks) == [["eth0"], [], []])
        #expect(picture.vms.first?.nics.first?.address == "10.123.9.11", "from the network's reservation")
        #expect(picture.vms.first?.nics.first?.tap == "vnet7")
    }

    @Test(arguments: [
        "\"tap:vnet7\" [id=\"tap:vnet7\"",
        "\"vm:web1\":\"n0\" -> \"tap:vnet7\" [id=\"edge:vm:web1->tap:vnet7\"",
        "\"tap:vnet7\" -> \"net:lab-nat\" [id=\"edge:tap:vnet7->net:lab-nat\"",
        "\"vm:db1\":\"n0\" -> \"net:lab-iso\" [id=\"edge:vm:db1->net:lab-iso\", arrowhead=none, style=dashed",
        "\"vm:db1\":\"n1\" -> \"net:lab-lan\" [id=\"edge:vm:db1->net:lab-lan\"",
        "\"net:lab-nat\" -> \"link:eth0\" [id=\"edge:net:lab-nat->link:eth0\", label=\"NAT\"",
        "\"net:lab-lan\" -> \"link:eth1\" [id=\"edge:net:lab-lan->link:eth1\", label=\"port\"",
        "\"link:eth0\" -> \"vm:web1\":\"n0\" [id=\"forward:lab-nat:tcp:8080\", label=\"tcp :8080 → 10.123.9.11:80\"",
        "\"vm:probe\":\"n0\" -> \"link:eth0\" [id=\"edge:vm:probe->link:eth0\", label=\"macvtap\", style=dashed",
        "label=\"lab-nat · nat\"",
        "label=\"virbr9\\n10.123.9.1/24\\nDHCP 10.123.9.100-10.123.9.200\"",
        "label=\"eth0\\n192.0.2.10/24\\ndefault route\"",
        "52:54:00:00:09:11<BR ALIGN=\"LEFT\"/>10.123.9.11<BR ALIGN=\"LEFT\"/>",
    ])
    func theDOTDrawsIt(_ fragment: String) {
        let dot = HostGraph.dot(Self.picture)
        #expect(dot.contains(fragment), "\(dot)")
    }

    @Test func theIsolatedNetworkLeadsNowhereAndNoBridgeIsDrawnTwice() {
        let dot = HostGraph.dot(Self.picture)
        #expect(!dot.contains("\"net:lab-iso\" ->"))
        #expect(!dot.contains("\"bridge:br0\""), "br0 is drawn as the bridged network that uses it")
        #expect(!dot.contains("vntx1"))
    }

    @Test func namesAreQuotedAndEscaped() {
        #expect(HostGraph.quoted("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"")
        #expect(HostGraph.html("<a & \"b\">") == "&lt;a &amp; &quot;b&quot;&gt;")
    }
}
