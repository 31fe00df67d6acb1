import Foundation
import HostNet
import Testing
@testable import VNetCore

/// `TopologyPlanner` from hand-built inventories, no daemon: a network in each adoption form that
/// the file describes is unchanged, a real difference is reported, and a bad VM NIC is refused
/// before any step is planned. Handles for the steps come from libvirt's in-process test driver.
struct TopologyPlannerTests {
    static let library = TemplateRenderingTests.library
    static let host = HostFacts(links: [
        HostLink(index: 1, name: "lo", kind: .loopback, mtu: 65536, isUp: true),
        HostLink(index: 2, name: "eth1", kind: .ethernet, mac: "52:54:00:aa:bb:01", mtu: 1500, isUp: true),
        HostLink(index: 3, name: "br0", kind: .bridge, kernelKind: "bridge", mac: "52:54:00:aa:bb:02", mtu: 1500, isUp: true),
    ])

    /// An inventory holding one running, persistent network whose saved and live config are `xml`.
    static func inventory(_ xml: String) throws -> Inventory {
        let config = try NetworkConfig(xml: xml, source: "fixture")
        let handle = try TestDriver.network(named: config.name, xml: xml)
        return Inventory(
            networks: [.init(network: handle, active: true, persistent: true, autostart: false, saved: config, live: config)],
            host: host)
    }

    static func plan(_ yaml: String, _ inventory: Inventory) throws -> TopologyPlan {
        try TopologyPlanner.plan(
            try TopologyParser.parse(yaml, source: "t.yaml"), inventory: inventory, templates: library)
    }

    /// Network XML as virsh would define it → the topology entry that describes it.
    static let adoptions: [(String, String)] = [
        (NetworkXMLFixtures.netmask.replacingOccurrences(of: "stp='on'", with: "stp='off'"),
         "{ name: default, model: nat, subnet: 192.168.122.0/24, bridge: virbr0, dhcp: { range: 192.168.122.2-192.168.122.254 } }"),
        (NetworkXMLFixtures.forwardDevAndInterface, "{ name: r, model: routed, subnet: 10.123.8.0/24, bridge: vbr-r, uplink: eth1, dhcp: { enabled: false } }"),
        (NetworkXMLFixtures.fqdn.replacingOccurrences(of: "<hostname>a</hostname>", with: ""),
         "{ name: f, model: isolated, subnet: 10.123.7.0/24, bridge: vbr-f, dhcp: { range: 10.123.7.100-10.123.7.200, hosts: [{ mac: '52:54:00:00:07:01', ip: 10.123.7.20, hostname: a.example.com }] } }"),
        (NetworkXMLFixtures.bridgeOnHostBridge, "{ name: b, model: bridged, bridge: br0 }"),
        (NetworkXMLFixtures.prefix,
         "{ name: p, model: nat, subnet: 10.123.5.0/24, bridge: vbr-p, dhcp: { range: 10.123.5.100-10.123.5.200 } }"),
    ]

    @Test(arguments: adoptions)
    func aNetworkInEachAdoptionFormIsUnchanged(xml: String, entry: String) throws {
        let plan = try Self.plan("networks:\n  - \(entry)\n", try Self.inventory(xml))
        #expect(plan.actions.map(\.outcome) == [.unchanged], "\(plan.actions.map(\.line))")
        #expect(plan.networkSteps.isEmpty && plan.vmSteps.isEmpty)
    }

    /// The network hook is the plan's to want: forwards, or an overlay's gateway part, need it.
    @Test(arguments: [
        ("{ name: h1, model: nat, subnet: 10.123.51.0/24, forwards: ['tcp:8080:10.123.51.20:80'] }", true),
        ("{ name: h2, model: nat, subnet: 10.123.52.0/24 }", false),
    ])
    func theHookIsNeededForForwards(entry: String, needed: Bool) throws {
        let plan = try Self.plan("networks:\n  - \(entry)\n", Inventory(host: Self.host))
        #expect(plan.needsHook == needed)
    }

    @Test func aDifferentSubnetNeedsARestart() throws {
        let plan = try Self.plan(
            "networks:\n  - { name: p, model: nat, subnet: 10.123.50.0/24, bridge: vbr-p, dhcp: { range: 10.123.50.100-10.123.50.200 } }\n",
            try Self.inventory(NetworkXMLFixtures.prefix))
        #expect(plan.actions.map(\.outcome) == [.restartNeeded])
        #expect(plan.actions[0].changes.contains("ipv4 10.123.5.1/24 → 10.123.50.1/24"), "\(plan.actions[0].changes)")
    }

    /// A user's nat template that adds an element libvirt's schema refuses and its parser ignores.
    static func templateWithAnExtraElement() throws -> String {
        let shipped = try library.source(.network, "nat").text
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-extra-\(UUID().uuidString.prefix(8)).xml.mustache").path
        try shipped.replacingOccurrences(of: "</network>", with: "<vnt-extra/></network>")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Comparing with a network libvirt holds checks no schema: only XML that is defined is
    /// checked, so an unchanged network costs no schema compile, and a restart still refuses.
    @Test func onlyAPlanThatDefinesTheNetworkChecksTheSchema() throws {
        let template = try Self.templateWithAnExtraElement()
        defer { try? FileManager.default.removeItem(atPath: template) }
        func entry(_ octet: Int) -> String {
            "networks:\n  - { name: p, model: nat, subnet: 10.123.\(octet).0/24, template: \(template), bridge: vbr-p, "
                + "dhcp: { range: 10.123.\(octet).100-10.123.\(octet).200 } }\n"
        }
        let unchanged = try Self.plan(entry(5), try Self.inventory(NetworkXMLFixtures.prefix))
        #expect(unchanged.actions.map(\.outcome) == [.unchanged], "\(unchanged.actions.map(\.line))")
        let error = try #require(throws: VNetError.self) {
            try Self.plan(entry(50), try Self.inventory(NetworkXMLFixtures.prefix))
        }
        #expect(error.kind == .invalidInput && error.message.contains("renders XML that libvirt's network.rng refuses"), "\(error)")
    }

    /// DHCPv6 the file cannot describe is a shape difference, never a silent removal of hosts.
    @Test func dhcpv6ThatTheFileLacksIsNotRemovedLive() throws {
        let plan = try Self.plan(
            "networks:\n  - { name: six, model: isolated, subnet: 10.123.6.0/24, ipv6: 'fd00:6::/64', bridge: vbr-six, dhcp: { range: 10.123.6.10-10.123.6.20, hosts: [{ mac: '52:54:00:00:06:01', ip: 10.123.6.11, hostname: four }] } }\n",
            try Self.inventory(NetworkXMLFixtures.dhcpv6))
        #expect(plan.actions.map(\.outcome) == [.restartNeeded], "\(plan.actions.map(\.line))")
        #expect(plan.actions[0].changes.contains { $0.hasPrefix("dhcpv6 ") }, "\(plan.actions[0].changes)")
    }

    /// A VM NIC that asks for the new network's host, network or broadcast address, or for an
    /// address outside it, is refused when planning: nothing of the file is made.
    @Test(arguments: [
        ("10.123.60.1", "nics[0].ip: 10.123.60.1 is the host's own address in 10.123.60.0/24 (network 'n'); pick a guest address in it"),
        ("10.123.60.0", "nics[0].ip: 10.123.60.0 is the network address of 10.123.60.0/24 (network 'n')"),
        ("10.123.60.255", "nics[0].ip: 10.123.60.255 is the broadcast address of 10.123.60.0/24 (network 'n')"),
        ("10.123.61.5", "nics[0].ip: 10.123.61.5 is outside the subnet 10.123.60.0/24 (network 'n')"),
    ])
    func aBadVMNICIsRefusedBeforeAnyStep(ip: String, message: String) throws {
        let yaml = """
            networks:
              - { name: n, model: isolated, subnet: 10.123.60.0/24 }
            vms:
              - { name: v, nics: [{ network: n, ip: \(ip) }] }
            """
        #expect {
            _ = try Self.plan(yaml, Inventory(host: Self.host))
        } throws: { error in
            guard let error = error as? VNetError else { return false }
            return error.kind == .invalidInput && error.message.hasPrefix("t.yaml:4: vms.v.") && error.message.contains(message)
        }
    }

    @Test func aNewNetworkAndVMArePlannedFromAnEmptyInventory() throws {
        let plan = try Self.plan(
            "networks:\n  - { name: n, model: isolated, subnet: auto, subnet_pool: 10.123.64.0/22 }\nvms:\n  - { name: v, nics: [{ network: n, ip: 10.123.64.10 }] }\n",
            Inventory(host: Self.host))
        #expect(plan.actions.map(\.outcome) == [.created, .created])
        #expect(plan.actions[0].after.contains("ipv4: 10.123.64.1/24"), "\(plan.actions[0].after)")
    }
}
