import Foundation
import Testing
import TestSupport

/// The guard rails of the removing commands on qemu:///system, each proved through virsh and the
/// kernel: `teardown` removes only what the file's topology made (and `--check` says exactly that),
/// `stop|undefine network` keep a network a running guest uses, `undefine vm` keeps a running VM;
/// `--force` overrides each.
@Suite(.onTestThreads, .serialized)
struct RemovalGuardTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    /// One teardown report line as `kind name: outcome (changes)`, from `--json`.
    static func actions(_ result: CommandResult) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        return (object["actions"] as? [[String: Any]] ?? []).map { action in
            let changes = (action["changes"] as? [String] ?? []).joined(separator: "; ")
            return "\(action["kind"] ?? "?") \(action["name"] ?? "?"): \(action["outcome"] ?? "?")"
                + (changes.isEmpty ? "" : " (\(changes))")
        }
    }

    static func randomMAC() -> String {
        "52:54:00:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
    }

    /// The tap device of `domain`'s NIC with `mac`, from `virsh domiflist`.
    static func tap(of domain: String, mac: String) throws -> String {
        let line = try #require(
            try Virsh.output(["domiflist", domain]).split(separator: "\n").first { $0.lowercased().contains(mac) })
        return String(try #require(line.split(separator: " ").first))
    }

    @Test func teardownRemovesOnlyWhatItsTopologyMadeAndCheckSaysExactlyThat() throws {
        let id = TestNames.unique("g").suffix(6)
        let topology = "\(TestNames.prefix)gtopo-\(id)"
        let marked = "\(TestNames.prefix)gm-\(id)", markedVM = "\(TestNames.prefix)gmv-\(id)"
        let foreign = "\(TestNames.prefix)gf-\(id)", foreignVM = "\(TestNames.prefix)gfv-\(id)"
        let guest = "\(TestNames.prefix)gg-\(id)"
        let markedOctet = try TestSubnets.freeThirdOctet(), foreignOctet = try TestSubnets.freeThirdOctet()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-guard-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            VirshDomains.destroyAndUndefine([guest, markedVM, foreignVM])
            for network in [marked, foreign] { Virsh.destroyAndUndefine(network) }
            try? FileManager.default.removeItem(at: directory)
        }

        // vnetctl makes the marked pair from one file; virsh makes a network and a VM of the other names.
        func network(_ name: String, _ octet: Int) -> String {
            "  - { name: \(name), model: isolated, subnet: 10.123.\(octet).0/24 }\n"
        }
        func vm(_ name: String, on network: String) -> String {
            "  - { name: \(name), memory: 128MiB, set: { virtType: qemu }, start: false, nics: [{ network: \(network) }] }\n"
        }
        let applied = directory.appendingPathComponent("applied.yaml").path
        try ("name: \(topology)\nnetworks:\n" + network(marked, markedOctet) + "vms:\n" + vm(markedVM, on: marked))
            .write(toFile: applied, atomically: true, encoding: .utf8)
        let apply = try Self.vnetctl(["apply", "-f", applied])
        try #require(apply.status == 0, "\(apply)")
        try Virsh.defineAndStart(xml: """
            <network><name>\(foreign)</name><bridge name='vngf\(id)'/>
            <ip address='10.123.\(foreignOctet).1' netmask='255.255.255.0'/></network>
            """, name: foreign)
        try VirshDomains.define(xml: VirshDomains.minimalXML(name: foreignVM, nics: [(foreign, Self.randomMAC())]), name: foreignVM)
        let file = directory.appendingPathComponent("lab.yaml").path
        try ("name: \(topology)\nnetworks:\n" + network(marked, markedOctet) + network(foreign, foreignOctet)
            + "vms:\n" + vm(markedVM, on: marked) + vm(foreignVM, on: foreign))
            .write(toFile: file, atomically: true, encoding: .utf8)
        let names = (networks: [marked, foreign], domains: [markedVM, foreignVM, guest])

        // --check: the marked pair would go, the virsh-made pair is listed as not vnetctl's.
        let before = try TopologySnapshot.capture(networks: names.networks, domains: names.domains)
        let check = try Self.vnetctl(["teardown", "-f", file, "--check", "--json"])
        try #require(check.status == 0, "\(check)")
        let planned = try Self.actions(check)
        #expect(planned == [
            "vm \(markedVM): removed",
            "vm \(foreignVM): left alone (not made by vnetctl; force removes it)",
            "network \(marked): removed",
            "network \(foreign): left alone (not made by vnetctl; force removes it)",
        ])
        #expect(try TopologySnapshot.capture(networks: names.networks, domains: names.domains).differences(to: before) == [])

        // The real teardown reports and removes exactly that.
        let teardown = try Self.vnetctl(["teardown", "-f", file, "--json"])
        try #require(teardown.status == 0, "\(teardown)")
        #expect(try Self.actions(teardown) == planned)
        #expect(!(try Virsh.networkNames(all: true)).contains(marked))
        #expect(!VirshDomains.exists(markedVM))
        #expect(try Virsh.isActive(foreign), "the virsh-made network was stopped")
        #expect(VirshDomains.exists(foreignVM))
        let kept = try Self.vnetctl(["teardown", "-f", file])
        #expect(kept.status == 0, "\(kept)")
        #expect(kept.stdout.contains("network \(foreign): left alone (not made by vnetctl; force removes it)"), "\(kept.stdout)")
        #expect(kept.stdout.contains("0 changed (2 left alone)"), "\(kept.stdout)")

        // A network this topology made, with a running guest of someone else's on it, is in use.
        let apply2 = try Self.vnetctl(["apply", "-f", applied])
        try #require(apply2.status == 0, "\(apply2)")
        let mac = Self.randomMAC()
        try VirshDomains.create(xml: VirshDomains.minimalXML(name: guest, nics: [(marked, mac)]), name: guest)
        let bridge = try #require(try VMNetworkXML.read(marked).bridge)
        let tap = try Self.tap(of: guest, mac: mac)
        let inUse = try Self.vnetctl(["teardown", "-f", file, "--check", "--json"])
        #expect(try Self.actions(inUse) == [
            "vm \(markedVM): removed",
            "vm \(foreignVM): left alone (not made by vnetctl; force removes it)",
            "network \(marked): left alone (in use by running VM(s) \(guest); force removes it)",
            "network \(foreign): left alone (not made by vnetctl; force removes it)",
        ])
        let usedTeardown = try Self.vnetctl(["teardown", "-f", file, "--json"])
        #expect(try Self.actions(usedTeardown) == (try Self.actions(inUse)))
        #expect(try Virsh.isActive(marked))
        #expect(KernelBridge(bridge).ports().contains(tap), "\(tap) left \(bridge)")

        // --force: everything the file names goes, each line saying why it needed force.
        let forceCheck = try Self.vnetctl(["teardown", "-f", file, "--force", "--check", "--json"])
        let forcedPlan = try Self.actions(forceCheck)
        #expect(forcedPlan == [
            "vm \(foreignVM): removed (not made by vnetctl; removed by force)",
            "network \(marked): removed (in use by running VM(s) \(guest); removed by force)",
            "network \(foreign): removed (not made by vnetctl; removed by force)",
        ])
        let forced = try Self.vnetctl(["teardown", "-f", file, "--force", "--json"])
        #expect(forced.status == 0, "\(forced)")
        #expect(try Self.actions(forced) == forcedPlan)
        #expect(try Virsh.networkNames(all: true).isDisjoint(with: names.networks))
        #expect(!VirshDomains.exists(foreignVM))
        #expect(VirshDomains.exists(guest), "the guest not named in the file is not teardown's")
    }

    @Test(arguments: ["stop", "undefine"])
    func aNetworkWithARunningGuestIsKeptUntilForced(command: String) throws {
        let network = try LabNetwork.make(model: .isolated)
        let guest = TestNames.unique("gr")
        defer {
            VirshDomains.destroyAndUndefine([guest])
            network.remove()
        }
        let mac = Self.randomMAC()
        try VirshDomains.create(xml: VirshDomains.minimalXML(name: guest, nics: [(network.name, mac)]), name: guest)
        let bridge = try #require(network.bridge)
        let tap = try Self.tap(of: guest, mac: mac)
        #expect(KernelBridge(bridge).ports().contains(tap))
        let before = try TopologySnapshot.capture(networks: [network.name], domains: [guest])

        let refused = try Self.vnetctl([command, "network", network.name])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains(guest) && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try TopologySnapshot.capture(networks: [network.name], domains: [guest]).differences(to: before) == [])
        #expect(KernelBridge(bridge).ports().contains(tap), "\(tap) left \(bridge)")

        let forced = try Self.vnetctl([command, "network", network.name, "--force"])
        #expect(forced.status == 0, "\(forced)")
        if command == "stop" {
            #expect(try Virsh.networkNames(all: true).contains(network.name))
            #expect(!(try Virsh.isActive(network.name)))
        } else {
            #expect(!(try Virsh.networkNames(all: true)).contains(network.name))
        }
        #expect(!KernelBridge(bridge).exists)
    }

    @Test func undefineVMKeepsARunningVMUntilForced() throws {
        let network = try LabNetwork.make(model: .isolated)
        let name = TestNames.unique("gv")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(name)
        let ip = try #require(network.address(40))
        let defined = try Self.vnetctl([
            "define", "vm", name, "--network", "\(network.name),ip=\(ip)", "--set", "virtType=qemu", "--start",
        ])
        try #require(defined.status == 0, "\(defined)")
        let before = try TopologySnapshot.capture(networks: [network.name], domains: [name])

        let refused = try Self.vnetctl(["undefine", "vm", name])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("vm '\(name)' is running") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try TopologySnapshot.capture(networks: [network.name], domains: [name]).differences(to: before) == [])
        #expect(try Virsh.output(["domstate", name]).contains("running"))
        #expect(try VMNetworkXML.read(network.name).dhcpHosts.contains { $0.ip == ip })

        let forced = try Self.vnetctl(["undefine", "vm", name, "--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(!VirshDomains.exists(name))
        for inactive in [false, true] {
            #expect(!(try VMNetworkXML.read(network.name, inactive: inactive).dhcpHosts.contains { $0.ip == ip }))
        }
    }
}
