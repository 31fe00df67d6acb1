import Foundation
import Testing
import TestSupport

/// Real QEMU guests (TCG, diskless, iPXE) on every NIC kind other than a libvirt network (which
/// VMGuestTests covers), proven through the kernel and the guest's own DHCP: a bridge NIC's tap is
/// a port of the test's bridge and the guest leases from the test's dnsmasq there; a direct NIC is a
/// macvtap on the test's veth in the asked mode; a user NIC's DHCP with QEMU's own server ends in an
/// ACK for .15 of its net. And `--wait-ip` stops as soon as the guest is paused.
@Suite(.onTestThreads, .serialized)
struct NICKindGuestTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    /// Polls `condition` every half second until it holds or `seconds` pass; the last value.
    static func waitFor<T>(_ seconds: Double, _ condition: () throws -> T?) rethrows -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try condition() { return value }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return try condition()
    }

    /// The host device of the NIC with `mac`, as `virsh domiflist` names it.
    static func hostDevice(of domain: String, mac: String) throws -> String? {
        try Virsh.output(["domiflist", domain]).split(separator: "\n")
            .first { $0.lowercased().contains(mac) }?.split(separator: " ").first.map(String.init)
    }

    /// Defines and starts a VM with one NIC and returns its MAC.
    static func start(_ name: String, nic: String) throws -> String {
        let result = try vnetctl(["define", "vm", name, "--network", nic, "--set", "virtType=qemu", "--start", "--json"])
        try #require(result.status == 0, "\(result)")
        let defined = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let nics = defined?["nics"] as? [[String: Any]]
        return try #require(nics?.first?["mac"] as? String).lowercased()
    }

    @Test func aBridgeNICIsAPortOfTheHostBridgeAndLeasesFromItsDHCPServer() throws {
        let bridge = try TestBridge()
        let octet = try TestSubnets.freeThirdOctet()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            bridge.remove()
        }
        try bridge.addAddress("10.123.\(octet).1/24")
        let dnsmasq = try TestDnsmasq(interface: bridge.name, first: "10.123.\(octet).50", last: "10.123.\(octet).60")
        defer { dnsmasq.stop() }
        let name = TestNames.unique("nicbr")
        cleanup.track(name)

        let mac = try Self.start(name, nic: "bridge=\(bridge.name)")
        let tap = try #require(try Self.hostDevice(of: name, mac: mac), "virsh domiflist shows no tap for \(mac)")
        let ports = try Command.output(["ip", "-o", "link", "show", "master", bridge.name])
        #expect(ports.contains(" \(tap):") || ports.contains(" \(tap)@"), "ip link show master \(bridge.name): \(ports)")
        #expect(try String(contentsOfFile: "/sys/class/net/\(tap)/address", encoding: .utf8).contains(mac.dropFirst(2)))

        let lease = Self.waitFor(120) { dnsmasq.lease(of: mac) }
        #expect(dnsmasq.isRunning, "the test's dnsmasq did not keep running")
        let address = try #require(lease, "the guest \(mac) got no lease from the dnsmasq on \(bridge.name)")
        #expect(address.hasPrefix("10.123.\(octet)."), "\(address)")
        // No libvirt network knows this NIC: vnetctl made none.
        #expect(!(try Virsh.output(["dumpxml", name]).contains("<source network=")))
    }

    @Test(arguments: ["bridge", "vepa", "private", "passthrough"])
    func aDirectNICIsAMacvtapOnTheHostInterfaceInItsMode(mode: String) throws {
        let veth = try TestVeth()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            veth.remove()
        }
        let name = TestNames.unique("nicdir")
        cleanup.track(name)
        let nic = "type=direct,source=\(veth.name)" + (mode == "bridge" ? "" : ",source_mode=\(mode)")

        let mac = try Self.start(name, nic: nic)
        let device = try #require(try Self.hostDevice(of: name, mac: mac), "virsh domiflist shows no macvtap for \(mac)")
        let json = try Command.output(["ip", "-d", "-j", "link", "show", device])
        let link = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first)
        let info = link["linkinfo"] as? [String: Any]
        #expect(info?["info_kind"] as? String == "macvtap", "\(json)")
        // The kernel spells libvirt's passthrough "passthru".
        let kernelMode = mode == "passthrough" ? "passthru" : mode
        #expect((info?["info_data"] as? [String: Any])?["mode"] as? String == kernelMode, "\(json)")
        #expect(link["link"] as? String == veth.name, "\(json)")
        #expect((link["address"] as? String)?.lowercased() == mac, "\(json)")

        let removed = try Self.vnetctl(["undefine", "vm", name, "--force"])
        #expect(removed.status == 0, "\(removed)")
        #expect(!FileManager.default.fileExists(atPath: "/sys/class/net/\(device)"), "\(device) outlived its VM")
    }

    /// The guest's DHCP exchange with user mode's own server, read from a filter-dump of its netdev
    /// (QEMU's `info usernet` does not show DHCP): after a reset the guest's iPXE asks again, and
    /// the server ACKs .15 of the net, QEMU's 10.0.2.0/24 or the one given.
    @Test(arguments: [(nil, "10.0.2.15"), ("10.0.3.0/24", "10.0.3.15")] as [(String?, String)])
    func aUserNICLeasesFromUserModesOwnServer(net: String?, expected: String) throws {
        let cleanup = VMCleanup()
        let pcap = "/tmp/vnt-usernet-\(UUID().uuidString).pcap"
        defer {
            cleanup.removeAll()
            try? FileManager.default.removeItem(atPath: pcap)
        }
        let name = TestNames.unique("nicusr")
        cleanup.track(name)

        let mac = try Self.start(name, nic: "user" + (net.map { ",net=\($0)" } ?? ""))
        try Virsh.output(["qemu-monitor-command", name, "--hmp", "object_add filter-dump,id=vntdump,netdev=hostnet0,file=\(pcap)"])
        try Virsh.output(["qemu-monitor-command", name, "--hmp", "system_reset"])
        let ack = Self.waitFor(120) {
            PcapDHCP.messages(in: pcap).first { $0.type == 5 && $0.clientMAC == mac }
        }
        let seen = PcapDHCP.messages(in: pcap)
        let message = try #require(ack, "no DHCP ACK for \(mac) in the dump; saw \(seen)")
        #expect(message.yourAddress == expected, "\(seen)")
        #expect(seen.contains { $0.type == 1 && $0.clientMAC == mac }, "no DISCOVER from the guest: \(seen)")
    }

    /// A guest paused while `--wait-ip` waits (here by `virsh suspend`, as QEMU pauses one after an
    /// emulation failure): vnetctl stops waiting, exits 1 and says why, with QEMU's log. The network
    /// has no DHCP, so no lease could end the wait instead, and the message shows it was not the
    /// deadline.
    @Test func waitIPStopsWhenTheGuestIsPaused() throws {
        let network = try LabNetwork.make(model: .isolated, dhcp: false)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("nicpause")
        cleanup.track(name)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-pause-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (errFile, statusFile) = (directory.appendingPathComponent("err").path, directory.appendingPathComponent("status").path)
        // One shell runs vnetctl in the background, suspends the guest once it runs, and waits.
        let script = """
            '\(VNetCtlBinary.path)' -c \(Virsh.uri) define vm \(name) --network \(network.name) --set virtType=qemu \
                --start --wait-ip 600 2>'\(errFile)' >/dev/null &
            pid=$!
            for i in $(seq 240); do virsh -c \(Virsh.uri) domstate \(name) 2>/dev/null | grep -q running && break; sleep 0.5; done
            virsh -c \(Virsh.uri) suspend \(name)
            wait $pid
            echo $? >'\(statusFile)'
            """
        let shell = try Command.run(["bash", "-c", script])
        try #require(shell.stdout.contains("suspended"), "the guest never ran or could not be suspended: \(shell)")
        let message = try String(contentsOfFile: errFile, encoding: .utf8)
        let status = try String(contentsOfFile: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "1", "\(message)")
        #expect(message.contains("VM '\(name)' was paused by a user or program"), "\(message)")
        #expect(message.contains("/var/log/libvirt/qemu/\(name).log"), "\(message)")
        #expect(!message.contains("timed out"), "\(message)")
        #expect(message.split(separator: "\n").count == 1, "\(message)")
        #expect(try Virsh.output(["domstate", name]).contains("paused"))
    }

    /// The real thing where this host has it: nested KVM pauses iPXE with an emulation failure, and
    /// `--wait-ip` says so with the TCG hint instead of waiting out its time.
    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/kvm")))
    func waitIPOnAKVMGuestThatQEMUPausesGivesTheTCGHint() throws {
        let network = try LabNetwork.make(model: .isolated, dhcp: false)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("nickvm")
        cleanup.track(name)
        let result = try Self.vnetctl(["define", "vm", name, "--network", network.name, "--start", "--wait-ip", "300"])
        try #require(!result.stderr.contains("timed out"), "KVM ran the guest here without an emulation failure: \(result)")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("was paused by QEMU"), "\(result.stderr)")
        #expect(result.stderr.contains("--set virtType=qemu"), "\(result.stderr)")
        let log = (try? String(contentsOfFile: "/var/log/libvirt/qemu/\(name).log", encoding: .utf8)) ?? ""
        #expect(log.contains("emulation failure"), "QEMU's log does not show the emulation failure")
    }
}
