import Foundation
import Testing
import TestSupport

/// One MAC, one owner, on qemu:///system: a MAC reserved in one network cannot be reserved in
/// another (define network, apply) nor used by a NIC for another host name (define vm): exit 2,
/// the owner named, libvirt unchanged as virsh shows it. A VM may claim the reservation naming it.
@Suite(.onTestThreads, .serialized)
struct MACOwnershipTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    static func randomMAC() -> String {
        "52:54:00:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
    }

    @Test func aReservedMACHasOneOwner() throws {
        let mac = Self.randomMAC(), claimed = Self.randomMAC()
        let vm = TestNames.unique("mo"), other = TestNames.unique("mo")
        let first = try LabNetwork.make(model: .isolated, backend: .vnetctl)
        let owner = try #require(first.address(5)), claimedIP = try #require(first.address(6))
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            first.remove()
        }
        cleanup.track(vm)
        cleanup.track(other)
        // The first network reserves MAC for 'printer', and a second MAC for the VM that claims it.
        for host in ["\(mac),\(owner),printer", "\(claimed),\(claimedIP),\(vm)"] {
            let added = try Virsh.run([
                "net-update", first.name, "add", "ip-dhcp-host", "<host mac='\(host.split(separator: ",")[0])' "
                    + "ip='\(host.split(separator: ",")[1])' name='\(host.split(separator: ",")[2])'/>", "--live", "--config",
            ])
            try #require(added.status == 0, "\(added)")
        }
        let second = TestNames.unique("mo"), octet = try TestSubnets.freeThirdOctet()
        defer { Virsh.destroyAndUndefine(second) }
        let names = [first.name, second]
        let before = try TopologySnapshot.capture(networks: names, domains: [vm, other])

        // A second reservation of the MAC, in another network: refused, owner named.
        let network = try Self.vnetctl([
            "define", "network", second, "--model", "isolated", "--subnet", "10.123.\(octet).0/24",
            "--host", "\(mac),10.123.\(octet).5,scanner",
        ])
        #expect(network.status == 2, "\(network)")
        #expect(network.stderr.contains("MAC \(mac) is already reserved in network '\(first.name)' (\(owner), host 'printer')"),
                "\(network.stderr)")

        // The same through a topology file.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-mo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lab.yaml").path
        try """
            networks:
              - name: \(second)
                model: isolated
                subnet: 10.123.\(octet).0/24
                dhcp: { hosts: [{ mac: "\(mac)", ip: 10.123.\(octet).5, hostname: scanner }] }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let apply = try Self.vnetctl(["apply", "-f", file])
        #expect(apply.status == 2, "\(apply)")
        #expect(apply.stderr.contains("\(file):2: networks.\(second).dhcp.hosts: MAC \(mac) is already reserved in network '\(first.name)'"),
                "\(apply.stderr)")

        // A NIC that would use the MAC for another host name: refused, owner named.
        let nic = try Self.vnetctl(["define", "vm", other, "--network", "\(first.name),mac=\(mac)", "--set", "virtType=qemu"])
        #expect(nic.status == 2, "\(nic)")
        #expect(nic.stderr.contains("MAC \(mac) is reserved in network '\(first.name)' (\(owner), host 'printer'), not for VM '\(other)'"),
                "\(nic.stderr)")
        #expect(try TopologySnapshot.capture(networks: names, domains: [vm, other]).differences(to: before) == [])

        // The VM the reservation names claims it, with its address.
        let claim = try Self.vnetctl([
            "define", "vm", vm, "--network", "\(first.name),mac=\(claimed),ip=\(claimedIP)", "--set", "virtType=qemu",
        ])
        #expect(claim.status == 0, "\(claim)")
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(vm)) == [claimed])
        let hosts = try VMNetworkXML.read(first.name, inactive: true).dhcpHosts
        let mine = hosts.filter { $0.mac == claimed }
        #expect(mine.count == 1 && mine.first?.ip == claimedIP && mine.first?.name == vm, "\(hosts)")
    }
}
