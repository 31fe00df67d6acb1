import Foundation
import Testing
import TestSupport

/// vnetctl's networks are ordinary libvirt networks: virsh lists, dumps, stops and starts them;
/// and vnetctl lists and shows networks that virsh made, reading the model from `<forward>`.
/// These tests are about vnetctl itself, so they use it whatever `VNT_LAB_BACKEND` says.
@Suite(.onTestThreads, .serialized) struct NetworkModelVirshInteropTests {
    private func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    /// The entry for `name` in `vnetctl --json list networks`.
    private func listed(_ name: String) throws -> [String: Any]? {
        let result = try VNetCtlBinary.run(["-c", Virsh.uri, "--json", "list", "networks"])
        #expect(result.status == 0, "\(result)")
        let networks = try #require(try json(result)["networks"] as? [[String: Any]], "\(result)")
        return networks.first { $0["name"] as? String == name }
    }

    @Test func virshListsDumpsStopsAndStartsAVNetCtlNetwork() throws {
        let network = try LabNetwork.make(model: .nat, backend: .vnetctl)
        defer { network.remove() }
        let bridge = try #require(network.bridge)

        #expect(try Virsh.networkNames(all: false).contains(network.name))
        let xml = try Virsh.dumpXML(network.name)
        #expect(xml.contains("<name>\(network.name)</name>"))
        #expect(xml.contains("<forward mode='nat'"), "\(xml)")
        #expect(xml.contains("name='\(bridge)'"), "\(xml)")
        #expect(xml.contains("address='\(try #require(network.gateway))'"), "\(xml)")

        try Virsh.output(["net-destroy", network.name])
        #expect(!(try Virsh.isActive(network.name)))
        #expect(try Virsh.networkNames(all: true).contains(network.name), "destroy must not undefine")
        #expect(!KernelBridge(bridge).exists)
        #expect(!NetworkDnsmasq(network: network.name).isRunning)

        try Virsh.output(["net-start", network.name])
        #expect(try Virsh.isActive(network.name))
        #expect(KernelBridge(bridge).stpState == 0)
        #expect(NetworkDnsmasq(network: network.name).isRunning)
        #expect(!(try FirewallRules.current().masqueradeRules(forSubnet: try #require(network.subnet)).isEmpty))
    }

    @Test func vnetctlStopStartAndUndefineAreSeenByVirsh() throws {
        let network = try LabNetwork.make(model: .routed, backend: .vnetctl)
        defer { network.remove() }
        let bridge = try #require(network.bridge)

        let stop = try VNetCtlBinary.run(["-c", Virsh.uri, "stop", "network", network.name])
        #expect(stop.status == 0, "\(stop)")
        #expect(!(try Virsh.isActive(network.name)))
        #expect(!KernelBridge(bridge).exists)

        let start = try VNetCtlBinary.run(["-c", Virsh.uri, "start", "network", network.name])
        #expect(start.status == 0, "\(start)")
        #expect(try Virsh.isActive(network.name))
        #expect(KernelBridge(bridge).exists)

        // undefine stops a running network first.
        let undefine = try VNetCtlBinary.run(["-c", Virsh.uri, "undefine", "network", network.name])
        #expect(undefine.status == 0, "\(undefine)")
        #expect(!(try Virsh.networkNames(all: true)).contains(network.name))
        #expect(!KernelBridge(bridge).exists)
        #expect(!NetworkDnsmasq(network: network.name).isRunning)
    }

    @Test(arguments: [LabModel.isolated, .routed, .nat, .open])
    func vnetctlListsAndShowsAVirshNetwork(model: LabModel) throws {
        let network = try LabNetwork.make(model: model, start: false, backend: .virsh)
        defer { network.remove() }
        let octet = try #require(network.octet)

        let entry = try #require(try listed(network.name), "vnetctl list does not show \(network.name)")
        #expect(entry["model"] as? String == model.rawValue)
        #expect(entry["bridge"] as? String == network.bridge)
        #expect(entry["active"] as? Bool == false)
        #expect(entry["managed"] as? Bool == false, "virsh made it, vnetctl did not")

        let show = try VNetCtlBinary.run(["-c", Virsh.uri, "--json", "show", "network", network.name])
        #expect(show.status == 0, "\(show)")
        let details = try json(show)
        let summary = details["summary"] as? [String: Any] ?? details
        #expect(summary["name"] as? String == network.name)
        #expect(summary["model"] as? String == model.rawValue)
        #expect((summary["addresses"] as? [String])?.contains("10.123.\(octet).1/24") == true)
        #expect(details["dhcpRange"] as? [String: String] == ["start": "10.123.\(octet).2", "end": "10.123.\(octet).254"])

        try Virsh.output(["net-start", network.name])
        #expect(try listed(network.name)?["active"] as? Bool == true)
    }

    @Test func vnetctlShowsAVirshBridgedNetwork() throws {
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let network = try LabNetwork.make(model: .bridged, bridge: bridge.name, start: false, backend: .virsh)
        defer { network.remove() }
        let entry = try #require(try listed(network.name))
        #expect(entry["model"] as? String == "bridged")
        #expect(entry["bridge"] as? String == bridge.name)
    }
}
