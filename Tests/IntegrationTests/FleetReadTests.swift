import Foundation
import Testing
import TestSupport

/// `list`, `macs` and `show` across two hosts (`-c` twice, `--hosts FILE`): every row names its
/// host, a MAC on two hosts is a duplicate naming both, and a host that cannot be reached is named
/// while the other is still reported. Proven with VMs defined through virsh on each host.
@Suite(.onTestThreads, .serialized, .enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
struct FleetReadTests {
    /// A domain with one user-mode NIC of `mac`, defined with virsh on the host at `uri`.
    static func defineByHand(_ name: String, mac: String, uri: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            <domain type='qemu'><name>\(name)</name><memory unit='MiB'>64</memory><os><type>hvm</type></os>
            <devices><interface type='user'><mac address='\(mac)'/></interface></devices></domain>
            """.write(to: file, atomically: true, encoding: .utf8)
        try Command.output(["virsh", "-q", "-c", uri, "define", file.path])
    }

    static func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    @Test func aMACOnTwoHostsIsADuplicateNamingBothAndEveryRowNamesItsHost() throws {
        let second = try #require(SecondHost.current).uri
        let vm = TestNames.unique("fleet"), copy = TestNames.unique("fcopy")
        let hostsFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(vm)-hosts.yaml")
        try "hosts:\n  h1: { uri: \"\(Virsh.uri)\" }\n  h2: { uri: \"\(second)\" }\n".write(to: hostsFile, atomically: true, encoding: .utf8)
        defer {
            for (uri, name) in [(Virsh.uri, vm), (second, vm), (second, copy)] {
                _ = try? Command.run(["virsh", "-q", "-c", uri, "undefine", name])
            }
            try? FileManager.default.removeItem(at: hostsFile)
        }
        for uri in [Virsh.uri, second] {
            let result = try VNetCtlBinary.run(["-c", uri, "define", "vm", vm, "--network", "user"])
            try #require(result.status == 0, "\(uri): \(result)")
        }
        let mac = try #require(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(vm)).first)
        let fleet = ["--hosts", hostsFile.path]

        // show vm finds the VM on both hosts, each naming its host and its own MAC.
        let show = try Self.json(try VNetCtlBinary.run(fleet + ["--json", "show", "vm", vm]))
        let shown = try #require(show["vms"] as? [[String: Any]])
        #expect(shown.compactMap { $0["host"] as? String } == ["h1", "h2"], "\(shown)")
        let shownMACs = shown.compactMap { (($0["nics"] as? [[String: Any]])?.first?["mac"] as? String)?.lowercased() }
        #expect(shownMACs.count == 2 && shownMACs[0] == mac && shownMACs[1] != mac, "\(shownMACs)")

        func groups(_ result: CommandResult) throws -> [[[String: Any]]] {
            let duplicates = try #require(try Self.json(result)["duplicates"] as? [[[String: Any]]])
            return duplicates.filter { $0.contains { ($0["mac"] as? String)?.lowercased() == mac } }
        }
        #expect(try groups(VNetCtlBinary.run(fleet + ["--json", "macs", "--check"])).isEmpty, "\(mac) is a duplicate before the copy")

        try Self.defineByHand(copy, mac: mac, uri: second)
        let check = try VNetCtlBinary.run(fleet + ["--json", "macs", "--check"])
        #expect(check.status == 1, "\(check)")
        let found = try groups(check)
        #expect(found.count == 1, "\(found)")
        let owners = Set(found.first?.map { "\($0["host"] ?? "")/\($0["owner"] ?? "")" } ?? [])
        #expect(owners == ["h1/\(vm)", "h2/\(copy)"], "\(owners)")
        let text = try VNetCtlBinary.run(fleet + ["macs", "--check"])
        #expect(text.status == 1)
        let line = text.stdout.split(separator: "\n").first { $0.contains(mac) } ?? ""
        #expect(line.contains("VM '\(vm)' on host h1") && line.contains("VM '\(copy)' on host h2"), "\(text.stdout)")

        // A host that does not answer is named, exit 1, and the others are still listed.
        let down = "qemu+tcp://\(try #require(SecondHost.current).address):1/system"
        let list = try VNetCtlBinary.run(["-c", Virsh.uri, "-c", second, "-c", down, "list", "vms"])
        #expect(list.status == 1, "\(list)")
        #expect(list.stderr.contains("host \(down) was not read"), "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(2) == ["HOST", "VM"], "\(list.stdout)")
        #expect(rows.contains { $0.prefix(2) == [Virsh.uri, vm] } && rows.contains { $0.prefix(2) == [second, vm] }
            && rows.contains { $0.prefix(2) == [second, copy] }, "\(list.stdout)")
        let listJSON = try Self.json(try VNetCtlBinary.run(["-c", Virsh.uri, "-c", down, "--json", "list", "vms"]))
        let hosts = try #require(listJSON["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["error"] == nil || $0["error"] is NSNull } == [true, false], "\(hosts)")
        #expect((listJSON["vms"] as? [[String: Any]])?.contains { $0["host"] as? String == Virsh.uri && $0["name"] as? String == vm } == true)
    }

    @Test func oneHostNamedTwiceIsRefusedNotCountedTwice() throws {
        let again = "qemu+tcp://\(try #require(SecondHost.current).address)/system?no_verify=1"
        let result = try VNetCtlBinary.run(["-c", try #require(SecondHost.current).uri, "-c", again, "macs", "--check"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("host \(again) was not read: it reaches the same libvirt host as \(try #require(SecondHost.current).uri)"), "\(result.stderr)")
        #expect(!result.stdout.contains("on host \(again)"), "every MAC of that host counted twice: \(result.stdout)")
    }

    @Test func aCommandOfOneHostRefusesTwoConnections() throws {
        let result = try VNetCtlBinary.run(["-c", Virsh.uri, "-c", Virsh.uri, "define", "network", TestNames.unique("two"), "--model", "isolated", "--dry-run"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("-c is given 2 times"), "\(result.stderr)")
    }
}
