import Foundation
import Testing
import TestSupport
import VNetCore

/// MACs that vnetctl did not hand out: duplicates made behind its back with virsh are reported by
/// `vnetctl macs --check` and refused by `define vm`, and allocation probes past every kind of use
/// (transient domains, reservations, host interfaces). Proven through virsh and sysfs.
@Suite(.onTestThreads, .serialized)
struct MACDuplicateTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    /// Defines a VM through vnetctl (not started) and returns its NICs' MACs from virsh.
    static func defineVM(_ name: String, _ arguments: [String]) throws -> [String] {
        let result = try vnetctl(["define", "vm", name] + arguments)
        try #require(result.status == 0, "\(result)")
        return try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name))
    }

    /// The duplicate groups of `macs --check --json` that hold `mac`.
    static func duplicateGroups(of mac: String) throws -> (CommandResult, [[VMJSON.MACs.Use]]) {
        let result = try vnetctl(["macs", "--check", "--json"])
        let report = try VMJSON.decode(VMJSON.MACs.self, from: result.stdout)
        return (result, report.duplicates.filter { $0.contains { $0.mac.lowercased() == mac } })
    }

    /// A `--mac-seed` with which NIC 0 of `vm` derives exactly `mac`, checked with vnetctl's allocator.
    static func seed(deriving mac: String, for vm: String) throws -> String {
        let target = try MACAddress(mac)
        let uuid = try #require(try MACSeedSolver.hostUUID(uri: Virsh.uri))
        let seed = try #require(MACSeedSolver().seed(vm: vm, nic: 0, suffix: target.suffix, hostUUID: uuid))
        var allocator = MACAllocator(inventory: MACInventory(uses: [], hostUUID: uuid))
        try #require(
            allocator.allocate(vm: vm, nic: 0, seed: seed, network: nil) == target,
            "the seed solver no longer matches vnetctl's MAC derivation")
        return seed
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    @Test func aDuplicateMadeWithVirshIsReportedAndItsMACRefused() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let tag = TestNames.unique("dup")
        let first = "\(tag)-a", second = "\(tag)-b", third = "\(tag)-c"
        [first, second, third].forEach(cleanup.track)
        let mac = try #require(try Self.defineVM(first, ["--network", network.name]).first)

        // Before the duplicate exists, macs --check does not report this MAC.
        #expect(try Self.duplicateGroups(of: mac).1.isEmpty)

        try VirshDomains.define(xml: VirshDomains.minimalXML(name: second, nics: [(network.name, mac)]), name: second)
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(second)) == [mac])

        let text = try Self.vnetctl(["macs", "--check"])
        #expect(text.status == 1, "\(text)")
        let line = Self.lines(text.stdout + text.stderr).first { $0.lowercased().contains(mac) }
        #expect(line?.contains("'\(first)'") == true && line?.contains("'\(second)'") == true, "\(text)")

        let (json, groups) = try Self.duplicateGroups(of: mac)
        #expect(json.status == 1, "\(json)")
        #expect(groups.count == 1, "\(json.stdout)")
        #expect(Set(groups.first?.map(\.owner) ?? []) == [first, second], "\(json.stdout)")
        #expect(groups.first?.allSatisfy { $0.kind == "domain-nic" } == true, "\(json.stdout)")

        // The full listing names both owners too.
        let listing = try VMJSON.decode(VMJSON.MACs.self, from: try Self.vnetctl(["macs", "--json"]).stdout)
        #expect(Set((listing.macs ?? []).filter { $0.mac.lowercased() == mac }.map(\.owner)) == [first, second])

        // A third VM asking for that MAC is refused, naming an owner, and changes nothing.
        for nic in ["\(network.name),mac=\(mac)", "\(network.name),ip=\(network.address(50)!),mac=\(mac)",
                    "\(network.name),mac=\(mac.uppercased())"] {
            let before = try VMHostState.capture(tag: tag, networks: [network.name])
            let refused = try Self.vnetctl(["define", "vm", third, "--network", nic])
            let after = try VMHostState.capture(tag: tag, networks: [network.name])
            #expect(refused.status == 2, "\(nic): \(refused)")
            #expect(refused.stderr.contains("'\(first)'") || refused.stderr.contains("'\(second)'"), "\(refused)")
            #expect(Self.lines(refused.stderr).count == 1, "\(refused)")
            #expect(before.differences(to: after).isEmpty, "\(nic): \(before.differences(to: after))")
            #expect(!VirshDomains.exists(third))
        }

        // Without the virsh-made twin the MAC is no duplicate any more.
        try Virsh.output(["undefine", second])
        let (_, remaining) = try Self.duplicateGroups(of: mac)
        #expect(remaining.isEmpty, "\(remaining)")
        // …but it is still the first VM's.
        let still = try Self.vnetctl(["define", "vm", third, "--network", "\(network.name),mac=\(mac)"])
        #expect(still.status == 2 && still.stderr.contains("'\(first)'"), "\(still)")
    }

    /// A domain with two NICs on one MAC breaks its segment just as two domains do.
    @Test func twoNICsOfOneDomainWithOneMACAreReported() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("dup")
        cleanup.track(name)
        let mac = "52:54:00:\(String(format: "%02x:%02x:%02x", Int.random(in: 0...255), Int.random(in: 0...255), Int.random(in: 1...254)))"
        try VirshDomains.define(
            xml: VirshDomains.minimalXML(name: name, nics: [(network.name, mac), (network.name, mac)]), name: name)
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)) == [mac, mac])
        let (result, groups) = try Self.duplicateGroups(of: mac)
        #expect(result.status == 1, "\(result)")
        #expect(groups.count == 1, "macs --check --json does not report \(mac) held by two NICs of \(name): \(result.stdout)")
    }

    @Test func aRunningTransientDomainsMACIsRefusedAndProbedPast() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let tag = TestNames.unique("dup")
        let transient = "\(tag)-t", refused = "\(tag)-r", probing = "\(tag)-p"
        [transient, refused, probing].forEach(cleanup.track)
        let mac = "52:54:00:\(String(format: "%02x:%02x:%02x", Int.random(in: 0...255), Int.random(in: 0...255), Int.random(in: 1...254)))"
        try VirshDomains.create(xml: VirshDomains.minimalXML(name: transient, nics: [(network.name, mac)]), name: transient)
        let persistent = try Virsh.output(["dominfo", transient]).split(separator: "\n").first { $0.hasPrefix("Persistent:") }
        #expect(persistent?.hasSuffix("no") == true, "\(persistent ?? "?")")

        let result = try Self.vnetctl(["define", "vm", refused, "--network", "\(network.name),mac=\(mac)"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("'\(transient)'"), "\(result)")
        #expect(!VirshDomains.exists(refused))

        let seed = try Self.seed(deriving: mac, for: probing)
        let macs = try Self.defineVM(probing, ["--network", network.name, "--mac-seed", seed])
        #expect(macs.count == 1)
        #expect(macs.first != mac, "vnetctl handed out \(mac), which the running transient domain \(transient) holds")
        #expect(macs.first?.hasPrefix("52:54:00:") == true)
    }

    @Test func aHostInterfacesMACIsRefusedAndProbedPast() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let bridge = try #require(network.bridge)
        let mac = try String(contentsOfFile: "/sys/class/net/\(bridge)/address", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        try #require(mac.hasPrefix("52:54:00:"), "libvirt gave bridge \(bridge) the MAC \(mac)")
        let tag = TestNames.unique("dup")
        let refused = "\(tag)-r", probing = "\(tag)-p"
        [refused, probing].forEach(cleanup.track)

        let result = try Self.vnetctl(["define", "vm", refused, "--network", "\(network.name),mac=\(mac)"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(bridge), "\(result)")
        #expect(!VirshDomains.exists(refused))

        let seed = try Self.seed(deriving: mac, for: probing)
        let macs = try Self.defineVM(probing, ["--network", network.name, "--mac-seed", seed])
        #expect(macs.count == 1 && macs.first != mac, "vnetctl handed out bridge \(bridge)'s MAC \(mac): \(macs)")
    }

    @Test func aMACReservedInANetworkIsNotAllocated() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let mac = "52:54:00:\(String(format: "%02x:%02x:%02x", Int.random(in: 0...255), Int.random(in: 0...255), Int.random(in: 1...254)))"
        let network = try LabNetwork.make(
            model: .isolated, octet: octet, hosts: [LabReservation(mac: mac, ip: "10.123.\(octet).70")])
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        #expect(try VMNetworkXML.read(network.name, inactive: true).dhcpHosts.contains { $0.mac == mac })
        let name = TestNames.unique("dup")
        cleanup.track(name)
        let seed = try Self.seed(deriving: mac, for: name)
        let macs = try Self.defineVM(name, ["--network", network.name, "--mac-seed", seed])
        #expect(macs.count == 1 && macs.first != mac, "vnetctl handed out \(mac), reserved in \(network.name): \(macs)")
    }
}
