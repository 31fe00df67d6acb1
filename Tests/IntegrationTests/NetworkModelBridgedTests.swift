import Foundation
import Testing
import TestSupport

/// The bridged model: guests join an existing host bridge as peers of the LAN behind its uplink.
/// The "LAN" is a test bridge whose uplink is a veth to an outside namespace at 10.123.A.2/24.
@Suite(.onTestThreads, .serialized) struct NetworkModelBridgedTests {
    @Test func guestOnAnExistingBridgeIsAPeerOfTheLAN() throws {
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let lan = try OutsideNamespace(attachment: .bridge(bridge.name))
        defer { lan.remove() }
        let network = try LabNetwork.make(model: .bridged, bridge: bridge.name)
        defer { network.remove() }

        #expect(try Virsh.isActive(network.name))
        let xml = try Virsh.dumpXML(network.name)
        #expect(xml.contains("mode='bridge'"), "\(xml)")
        #expect(xml.contains("<bridge name='\(bridge.name)'/>"), "\(xml)")
        // libvirt neither addresses nor firewalls a bridge it does not own.
        #expect(try KernelBridge(bridge.name).ipv4Addresses().isEmpty)
        #expect(try FirewallRules.current().rules(mentioning: bridge.name).isEmpty)
        #expect(NetworkDnsmasq(network: network.name).pid == nil)

        let guest = try GuestNamespace(bridge: bridge.name)
        defer { guest.remove() }
        let guestAddress = "10.123.\(lan.octet).3"
        try guest.configure(address: "\(guestAddress)/24")
        #expect(guest.ping(lan.address))
        #expect(lan.ping(guestAddress), "LAN peers reach the guest directly")
        #expect(try lan.observedSource(from: guest) == guestAddress)
    }

    /// vnetctl checks that the bridge exists (libvirt itself would define and even "start" a
    /// bridged network on a missing bridge), so this is vnetctl's behaviour, whatever the backend.
    @Test func missingBridgeIsRefusedAndNothingIsDefined() throws {
        let missing = NetObjectNames.interface(NetObjectNames.id(), "br")
        let name = TestNames.unique("net")
        defer { Virsh.destroyAndUndefine(name) }
        let result = try VNetCtlBinary.run(
            ["-c", Virsh.uri, "define", "network", name, "--model", "bridged", "--bridge", missing, "--start"])
        #expect(result.status == 2, "\(result)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stderr.contains(missing), "the error should name the bridge: \(result.stderr)")
        // (Other suites may define networks meanwhile, so the check is by this test's unique name.)
        #expect(!(try Virsh.networkNames()).contains(name))
        #expect(!KernelBridge(missing).exists)
    }

    @Test func macvtapOnAnUplinkDefinesAndStarts() throws {
        let uplink = try OutsideNamespace(attachment: .detached)
        defer { uplink.remove() }
        let network = try LabNetwork.make(model: .bridged, uplink: uplink.rootInterface)
        defer { network.remove() }
        #expect(try Virsh.isActive(network.name))
        let xml = try Virsh.dumpXML(network.name)
        #expect(xml.contains("mode='bridge'"), "\(xml)")
        #expect(xml.contains("<interface dev='\(uplink.rootInterface)'/>"), "\(xml)")
        #expect(!xml.contains("<bridge "), "macvtap needs no bridge: \(xml)")
        #expect(try FirewallRules.current().rules(mentioning: uplink.rootInterface).isEmpty)
    }
}
