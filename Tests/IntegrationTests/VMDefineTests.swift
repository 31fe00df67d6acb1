import Foundation
import Testing
import TestSupport

/// `vnetctl define vm` against qemu:///system, proven through virsh: deterministic MACs,
/// reservations live and saved, all-or-nothing defines, and bad input that changes nothing.
@Suite(.onTestThreads, .serialized)
struct VMDefineTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    static func defined(_ arguments: [String]) throws -> VMJSON.Defined {
        let result = try vnetctl(arguments + ["--json"])
        try #require(result.status == 0, "\(result)")
        return try VMJSON.decode(VMJSON.Defined.self, from: result.stdout)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// A scratch directory for templates, removed by `remove()`.
    final class TemplateDirectory {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent(TestNames.unique("vmtpl"))
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        /// The shipped pxe template with `transform` applied, written as NAME.xml.mustache.
        func pxe(_ name: String, _ transform: (String) -> String) throws -> String {
            let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/VNetCore/Templates/domain/pxe.xml.mustache")
            let source = try String(contentsOf: shipped, encoding: .utf8)
            let changed = transform(source)
            try #require(changed != source, "the shipped pxe template no longer has what the test edits")
            let path = url.appendingPathComponent("\(name).xml.mustache").path
            try changed.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    @Test func dryRunPrintsTheSameMACsEveryTimeAndDefineUsesThem() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("vm"), seeded = TestNames.unique("vm")
        [name, seeded].forEach(cleanup.track)
        let nics = ["--network", network.name, "--network", network.name]

        let first = try Self.defined(["define", "vm", name] + nics + ["--dry-run"])
        let second = try Self.defined(["define", "vm", name] + nics + ["--dry-run"])
        let macs = first.nics.map { $0.mac.lowercased() }
        #expect(first.dryRun)
        #expect(macs.count == 2 && Set(macs).count == 2, "\(macs)")
        #expect(macs.allSatisfy { $0.hasPrefix("52:54:00:") }, "\(macs)")
        #expect(second.nics.map { $0.mac.lowercased() } == macs)
        #expect(try VirshDomains.interfaceMACs(inXML: first.xml) == macs, "the printed XML carries other MACs")
        // The text form prints that XML.
        let text = try Self.vnetctl(["define", "vm", name] + nics + ["--dry-run"])
        #expect(text.status == 0, "\(text)")
        #expect(try VirshDomains.interfaceMACs(inXML: text.stdout) == macs)
        #expect(!VirshDomains.exists(name), "--dry-run defined the VM")

        let reseeded = try Self.defined(["define", "vm", name] + nics + ["--dry-run", "--mac-seed", "x"])
        let reseededMACs = reseeded.nics.map { $0.mac.lowercased() }
        #expect(Set(reseededMACs).isDisjoint(with: macs), "--mac-seed x kept \(reseededMACs) vs \(macs)")
        let reseededAgain = try Self.defined(["define", "vm", name] + nics + ["--dry-run", "--mac-seed", "x"])
        #expect(reseededAgain.nics.map { $0.mac.lowercased() } == reseededMACs)

        let real = try Self.defined(["define", "vm", name] + nics)
        #expect(!real.dryRun)
        #expect(real.nics.map { $0.mac.lowercased() } == macs)
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)) == macs)

        // A seeded VM gets its seeded dry-run MACs too.
        let seededDry = try Self.defined(["define", "vm", seeded] + nics + ["--mac-seed", "x", "--dry-run"])
        _ = try Self.defined(["define", "vm", seeded] + nics + ["--mac-seed", "x"])
        let seededMACs = try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(seeded))
        #expect(seededMACs == seededDry.nics.map { $0.mac.lowercased() })
        #expect(Set(seededMACs).isDisjoint(with: macs))
    }

    @Test func aReservationIsLiveAndSavedAndGoesWithTheVM() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("vm")
        cleanup.track(name)
        let ip = try #require(network.address(50))
        let vm = try Self.defined(["define", "vm", name, "--network", "\(network.name),ip=\(ip)"])
        let mac = try #require(vm.nics.first?.mac.lowercased())
        #expect(vm.nics.first?.ip == ip)
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)) == [mac])
        #expect(try Virsh.isActive(network.name))

        for inactive in [false, true] {
            let xml = try VMNetworkXML.read(network.name, inactive: inactive)
            let which = inactive ? "inactive" : "live"
            #expect(xml.dhcpHosts.contains { $0.mac == mac && $0.ip == ip }, "\(which): \(xml.xml)")
            #expect(xml.dnsHosts.contains { $0.ip == ip && $0.hostnames == [name] }, "\(which): \(xml.xml)")
        }
        // dnsmasq was told as well.
        #expect(NetworkDnsmasq(network: network.name).hostsfileLines().contains { $0.lowercased().hasPrefix("\(mac),\(ip)") })

        let removed = try Self.vnetctl(["undefine", "vm", name])
        #expect(removed.status == 0, "\(removed)")
        #expect(!VirshDomains.exists(name))
        for inactive in [false, true] {
            let xml = try VMNetworkXML.read(network.name, inactive: inactive)
            #expect(!xml.dhcpHosts.contains { $0.mac == mac || $0.ip == ip }, "\(xml.xml)")
            #expect(!xml.dnsHosts.contains { $0.ip == ip }, "\(xml.xml)")
        }
        #expect(!NetworkDnsmasq(network: network.name).hostsfileLines().contains { $0.lowercased().contains(mac) })
    }

    /// A reservation booked for a MAC beforehand (`--host MAC,IP`) is the address for a VM that asks for that MAC.
    @Test func aVMMayClaimAMACBookedOnlyByAReservation() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let mac = "52:54:00:\(String(format: "%02x:%02x:%02x", Int.random(in: 0...255), Int.random(in: 0...255), Int.random(in: 1...254)))"
        let ip = "10.123.\(octet).70"
        let network = try LabNetwork.make(model: .isolated, octet: octet, hosts: [LabReservation(mac: mac, ip: ip)])
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("vm")
        cleanup.track(name)
        let result = try Self.vnetctl(["define", "vm", name, "--network", "\(network.name),ip=\(ip),mac=\(mac)"])
        #expect(result.status == 0, "\(result)")
        if result.status == 0 {
            #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)) == [mac])
            #expect(try VMNetworkXML.read(network.name).dhcpHosts.filter { $0.mac == mac }.count == 1)
        }
    }

    @Test func aSchemaInvalidTemplateDefinesNothing() throws {
        let network = try LabNetwork.make(model: .isolated)
        let templates = try TemplateDirectory()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
            templates.remove()
        }
        let template = try templates.pxe("schema-invalid") {
            $0.replacingOccurrences(of: "<on_crash>destroy</on_crash>", with: "<on_crash>explode</on_crash>")
        }
        let tag = TestNames.unique("vm")
        cleanup.track(tag)
        let before = try VMHostState.capture(tag: tag, networks: [network.name])
        // A dry run checks against this machine's domain.rng; a define has libvirt check as it defines,
        // after the reservation was made, which is then removed again.
        for extra in [["--dry-run"], []] {
            let result = try Self.vnetctl(
                ["define", "vm", tag, "--network", "\(network.name),ip=\(network.address(51)!)", "--template", template] + extra)
            let after = try VMHostState.capture(tag: tag, networks: [network.name])
            #expect(result.status == 2, "\(extra) \(result)")
            #expect(result.stderr.contains("template \(template) renders XML that libvirt"), "\(extra) \(result)")
            #expect(result.stderr.contains("on_crash"), "\(extra) \(result)")
            #expect(result.stderr.contains("check the template"), "\(extra) \(result)")
            #expect(Self.lines(result.stderr).count == 1, "\(extra) \(result)")
            #expect(before.differences(to: after).isEmpty, "\(extra) \(before.differences(to: after))")
            #expect(!VirshDomains.exists(tag))
        }
    }

    /// libvirt refuses the domain after the reservations were made: they are removed again.
    @Test func aDomainLibvirtRefusesLeavesNoReservation() throws {
        let network = try LabNetwork.make(model: .isolated)
        let templates = try TemplateDirectory()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
            templates.remove()
        }
        // Valid against domain.rng; the qemu driver refuses it at define, as it cannot probe the emulator.
        let template = try templates.pxe("no-emulator") {
            $0.replacingOccurrences(
                of: "<serial type=\"pty\"/>", with: "<emulator>/nonexistent/qemu-system-x86_64</emulator>\n    <serial type=\"pty\"/>")
        }
        let tag = TestNames.unique("vm")
        cleanup.track(tag)
        let ip = try #require(network.address(52))
        let hostsfile = NetworkDnsmasq(network: network.name).hostsfileLines()
        let before = try VMHostState.capture(tag: tag, networks: [network.name])
        let result = try Self.vnetctl(["define", "vm", tag, "--network", "\(network.name),ip=\(ip)", "--template", template])
        let after = try VMHostState.capture(tag: tag, networks: [network.name])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("/nonexistent/qemu-system-x86_64"), "\(result)")
        #expect(result.stderr.contains("reservations were removed"), "\(result)")
        #expect(Self.lines(result.stderr).count == 1, "\(result)")
        #expect(before.differences(to: after).isEmpty, "\(before.differences(to: after))")
        #expect(!VirshDomains.exists(tag))
        for inactive in [false, true] {
            #expect(!(try VMNetworkXML.read(network.name, inactive: inactive).dhcpHosts.contains { $0.ip == ip }))
        }
        #expect(NetworkDnsmasq(network: network.name).hostsfileLines() == hostsfile)
    }

    /// The domain is defined but cannot start (its transient disk's base is missing): domain and
    /// reservations go again.
    @Test func aVMThatCannotStartIsRemovedWithItsReservations() throws {
        let network = try LabNetwork.make(model: .isolated)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let tag = TestNames.unique("vm")
        cleanup.track(tag)
        let ip = try #require(network.address(53))
        let before = try VMHostState.capture(tag: tag, networks: [network.name])
        let result = try Self.vnetctl([
            "define", "vm", tag, "--network", "\(network.name),ip=\(ip)", "--template", "disk",
            "--set", "disk.base=/nonexistent/\(tag).qcow2", "--set", "disk.transient=true", "--set", "virtType=qemu", "--start",
        ])
        let after = try VMHostState.capture(tag: tag, networks: [network.name])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("removed again"), "\(result)")
        #expect(before.differences(to: after).isEmpty, "\(before.differences(to: after))")
        #expect(!VirshDomains.exists(tag))
    }

    @Test func badInputExitsTwoWithOneLineAndChangesNothing() throws {
        let network = try LabNetwork.make(model: .isolated)
        let templates = try TemplateDirectory()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
            templates.remove()
        }
        let tag = TestNames.unique("vmbad")
        let owner = "\(tag)-owner"
        cleanup.track(owner)
        let ownerIP = try #require(network.address(60))
        let ownerVM = try Self.defined(["define", "vm", owner, "--network", "\(network.name),ip=\(ownerIP)"])
        let ownerMAC = try #require(ownerVM.nics.first?.mac.lowercased())
        let otherOctet = try TestSubnets.freeThirdOctet()
        let invalid = try templates.pxe("invalid") {
            $0.replacingOccurrences(of: "<on_crash>destroy</on_crash>", with: "<on_crash>explode</on_crash>")
        }
        let missing = templates.url.appendingPathComponent("missing.xml.mustache").path
        let net = network.name
        let free = "\(net),ip=\(network.address(55)!)"

        let cases: [(what: String, arguments: [String], says: [String])] = [
            ("malformed MAC", ["--network", "\(net),mac=52:54:00:zz:00:01"], ["52:54:00:zz:00:01"]),
            ("short MAC", ["--network", "\(net),mac=52:54:00:01"], ["52:54:00:01"]),
            ("multicast MAC", ["--network", "\(free),mac=01:00:5e:00:00:01"], ["multicast"]),
            ("all-zero MAC", ["--network", "\(free),mac=00:00:00:00:00:00"], ["zero"]),
            ("MAC of another VM", ["--network", "\(free),mac=\(ownerMAC)"], ["'\(owner)'"]),
            ("ip= outside the subnet", ["--network", "\(net),ip=10.123.\(otherOctet).50"], ["outside"]),
            ("ip= the gateway", ["--network", "\(net),ip=\(network.gateway!)"], [network.gateway!]),
            ("ip= the network address", ["--network", "\(net),ip=\(network.address(0)!)"], ["network address"]),
            ("ip= reserved for another MAC", ["--network", "\(net),ip=\(ownerIP)"], [ownerMAC]),
            ("missing network", ["--network", "\(tag)-nonet,ip=10.123.\(otherOctet).5"], ["\(tag)-nonet"]),
            ("no network", [], ["--network"]),
            ("VM name already defined", ["--network", free], ["'\(owner)'", "already exists"]),
            ("--memory 1MiB", ["--network", free, "--memory", "1MiB"], ["memory"]),
            ("--vcpus 0", ["--network", free, "--vcpus", "0"], ["vcpus"]),
            ("template missing", ["--network", free, "--template", missing], ["missing.xml.mustache"]),
            ("template invalid against domain.rng", ["--network", free, "--template", invalid], ["invalid"]),
            ("unknown --network key", ["--network", "\(net),ipp=10.1.1.1"], ["ipp"]),
        ]
        for (index, testCase) in cases.enumerated() {
            let name = testCase.what == "VM name already defined" ? owner : "\(tag)-\(index)"
            cleanup.track(name)
            let before = try VMHostState.capture(tag: tag, networks: [net])
            let result = try Self.vnetctl(["define", "vm", name] + testCase.arguments)
            let after = try VMHostState.capture(tag: tag, networks: [net])
            let comment = Comment(rawValue: "\(testCase.what): \(result)")
            #expect(result.status == 2, comment)
            #expect(Self.lines(result.stderr).count == 1, comment)
            #expect(result.stdout.isEmpty, comment)
            for fragment in testCase.says {
                #expect(result.stderr.lowercased().contains(fragment.lowercased()), comment)
            }
            #expect(before.differences(to: after).isEmpty, "\(testCase.what): \(before.differences(to: after))")
            if name != owner { #expect(!VirshDomains.exists(name), comment) }
        }
        // The owner is as it was: same MAC, reservation still there.
        #expect(try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(owner)) == [ownerMAC])
        #expect(try VMNetworkXML.read(net, inactive: true).dhcpHosts.contains { $0.mac == ownerMAC && $0.ip == ownerIP })
    }
}
