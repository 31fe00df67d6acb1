import Foundation
import Testing
import TestSupport

/// End to end, one model at a time: a real QEMU guest (TCG, diskless, iPXE) on a vnetctl network
/// gets the address reserved for it, as libvirt's dnsmasq, virsh and the kernel's bridge show; and
/// `vnetctl undefine vm` takes its reservation and DNS entry out of the live and saved network.
@Suite(.onTestThreads, .serialized)
struct VMGuestTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    @Test(arguments: [LabModel.isolated, .routed, .nat])
    func aPXEGuestLeasesItsReservedAddress(model: LabModel) throws {
        let network = try LabNetwork.make(model: model)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("vmg")
        cleanup.track(name)
        let ip = try #require(network.address(50))
        let bridge = try #require(network.bridge)

        let clock = ContinuousClock()
        let start = clock.now
        let result = try Self.vnetctl([
            "define", "vm", name, "--network", "\(network.name),ip=\(ip)", "--template", "pxe",
            "--set", "virtType=qemu", "--start", "--wait-ip", "120", "--json",
        ])
        let elapsed = clock.now - start
        print("VMGuestTests[\(model)]: define + start + lease of \(ip) took \(elapsed)")
        try #require(result.status == 0, "\(result)")
        let defined = try VMJSON.decode(VMJSON.Defined.self, from: result.stdout)
        let mac = try #require(defined.nics.first?.mac.lowercased())
        #expect(defined.started)
        #expect(defined.leases?.contains { $0.address == ip && $0.mac.lowercased() == mac } == true, "\(result.stdout)")

        // libvirt's dnsmasq handed the reserved address to the guest's MAC.
        let leases = try Virsh.output(["net-dhcp-leases", network.name])
        #expect(
            leases.split(separator: "\n").contains { $0.lowercased().contains(mac) && $0.contains(" \(ip)/24") },
            "net-dhcp-leases: \(leases)")
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)) == [mac])

        // vnetctl's view agrees.
        let shown = try Self.vnetctl(["show", "vm", name, "--json"])
        try #require(shown.status == 0, "\(shown)")
        let details = try VMJSON.decode(VMJSON.Shown.self, from: shown.stdout)
        #expect(details.nics.count == 1)
        let nic = try #require(details.nics.first)
        #expect(nic.kind == "network" && nic.source.network == network.name)
        #expect(nic.mac?.lowercased() == mac)
        #expect(nic.reservedIP == ip)
        #expect(nic.leasedIP == ip)
        let tap = try #require(nic.tap, "show vm names no tap device for the running VM")

        // The tap is the one virsh reports, and the kernel has it as a port of the network's bridge.
        let interfaces = try Virsh.output(["domiflist", name])
        #expect(interfaces.split(separator: "\n").contains { $0.contains(tap) && $0.lowercased().contains(mac) }, "\(interfaces)")
        let master = try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/class/net/\(tap)/master")
        #expect(master.map { URL(fileURLWithPath: $0).lastPathComponent } == bridge, "\(tap) master: \(master ?? "none")")
        #expect(KernelBridge(bridge).ports().contains(tap))

        // The reservation and its DNS name are live and saved before undefine…
        for inactive in [false, true] {
            let xml = try VMNetworkXML.read(network.name, inactive: inactive)
            #expect(xml.dhcpHosts.contains { $0.mac == mac && $0.ip == ip }, "\(xml.xml)")
            #expect(xml.dnsHosts.contains { $0.ip == ip }, "\(xml.xml)")
        }

        // …and gone from both after (the guest runs, so undefine needs --force).
        let removed = try Self.vnetctl(["undefine", "vm", name, "--force"])
        #expect(removed.status == 0, "\(removed)")
        #expect(!VirshDomains.exists(name))
        for inactive in [false, true] {
            let xml = try VMNetworkXML.read(network.name, inactive: inactive)
            let which = inactive ? "inactive" : "live"
            #expect(!xml.dhcpHosts.contains { $0.mac == mac || $0.ip == ip }, "\(which): \(xml.xml)")
            #expect(!xml.dnsHosts.contains { $0.ip == ip }, "\(which): \(xml.xml)")
        }
        #expect(!NetworkDnsmasq(network: network.name).hostsfileLines().contains { $0.lowercased().contains(mac) })
        #expect(!FileManager.default.fileExists(atPath: "/sys/class/net/\(tap)/master"), "\(tap) still on \(bridge)")
    }
}
