import Foundation
import Testing
import TestSupport

/// `apply --allow-restart`: a subnet change moves the network, and a running guest's NIC is
/// plugged into the network's bridge again, seen through the kernel and virsh.
@Suite(.onTestThreads, .serialized)
struct TopologyRestartTests {
    @Test func subnetChangeMovesTheNetworkAndReplugsTheRunningGuest() throws {
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let lab = try TopologyLab(bridge: bridge.name, guestRuns: true)
        defer { lab.remove() }
        try lab.write()
        let first = try lab.apply()
        try #require(first.status == 0, "\(first)")

        let tap = try #require(try Self.tap(of: lab.vm1, on: lab.nat), "no tap for \(lab.vm1) on \(lab.nat)")
        let networkBridge = try Self.bridge(of: lab.nat)
        #expect(try Self.master(of: tap) == networkBridge)

        lab.natOctet = try TestSubnets.freeThirdOctet()
        try lab.write()
        let refused = try lab.apply()
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains(lab.nat) && refused.stderr.contains(lab.vm1), "\(refused)")

        let restarted = try lab.apply(["--allow-restart"])
        #expect(restarted.status == 0, "\(restarted)")
        #expect(restarted.stdout.contains("network \(lab.nat): restarted"), "\(restarted)")
        let live = try Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", lab.nat])
        #expect(live.contains("address='\(lab.ip(lab.natOctet, 1))'"), "\(live)")
        for inactive in [false, true] {
            let hosts = try VMNetworkXML.read(lab.nat, inactive: inactive).dhcpHosts
            #expect(hosts.contains { $0.ip == lab.ip(lab.natOctet, 11) }, "inactive=\(inactive): \(hosts)")
        }
        #expect(try Self.master(of: tap) == Self.bridge(of: lab.nat), "the guest's tap is not on the network's bridge")
        #expect(try Command.output(["virsh", "-c", "qemu:///system", "domstate", lab.vm1]).contains("running"))

        let again = try lab.apply()
        #expect(TopologyLab.summaryLine(again.stdout).hasPrefix("0 changed"), "\(again)")
    }

    @Test func changedVMIsRecreatedOnlyWithAllowRestart() throws {
        let name = TestNames.unique("rc")
        let (first, second) = (try TestSubnets.freeThirdOctet(), try TestSubnets.freeThirdOctet())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).yaml")
        func write(memory: Int, extraNIC: Bool) throws {
            try """
                networks:
                  - { name: \(name)-a, model: nat, subnet: 10.123.\(first).0/24 }
                  - { name: \(name)-b, model: isolated, subnet: 10.123.\(second).0/24 }
                vms:
                  - name: \(name)-vm
                    start: false
                    memory: \(memory)MiB
                    nics:
                      - { network: \(name)-a, ip: 10.123.\(first).11 }
                \(extraNIC ? "      - { network: \(name)-b }" : "")
                """.write(to: file, atomically: true, encoding: .utf8)
        }
        defer {
            _ = try? VNetCtlBinary.run(["-c", "qemu:///system", "teardown", "-f", file.path])
            try? FileManager.default.removeItem(at: file)
        }
        try write(memory: 256, extraNIC: false)
        let created = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        try #require(created.status == 0, "\(created)")
        let before = try Command.output(["virsh", "-c", "qemu:///system", "dumpxml", "--inactive", "\(name)-vm"])

        try write(memory: 512, extraNIC: true)
        let refused = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("vm \(name)-vm: restart needed"), "\(refused)")
        #expect(try Command.output(["virsh", "-c", "qemu:///system", "dumpxml", "--inactive", "\(name)-vm"]) == before)

        let recreated = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path, "--allow-restart"])
        #expect(recreated.status == 0, "\(recreated)")
        let after = try Command.output(["virsh", "-c", "qemu:///system", "dumpxml", "--inactive", "\(name)-vm"])
        #expect(after.contains("<memory unit='KiB'>524288</memory>"), "\(after)")
        #expect(after.contains("<source network='\(name)-b'/>"), "\(after)")
        let hosts = try VMNetworkXML.read("\(name)-a", inactive: true).dhcpHosts
        #expect(hosts.filter { $0.ip == "10.123.\(first).11" }.count == 1, "\(hosts)")
        let again = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        #expect(again.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(again)")
    }

    /// The host device of `vm`'s NIC on `network`, from `virsh domiflist`.
    static func tap(of vm: String, on network: String) throws -> String? {
        try Command.output(["virsh", "-c", "qemu:///system", "domiflist", vm]).split(separator: "\n")
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            .first { $0.count >= 3 && $0[2] == network }?.first
    }

    static func bridge(of network: String) throws -> String {
        let xml = try Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", network])
        guard let range = xml.range(of: #"<bridge name='([^']+)'"#, options: .regularExpression) else { return "" }
        return String(xml[range].dropFirst("<bridge name='".count).dropLast())
    }

    /// The bridge `device` is a port of, from sysfs.
    static func master(of device: String) throws -> String? {
        let link = "/sys/class/net/\(device)/master"
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: link)).map { ($0 as NSString).lastPathComponent }
    }
}
