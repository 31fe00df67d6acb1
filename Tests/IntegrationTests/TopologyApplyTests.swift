import Foundation
import Testing
import TestSupport

/// `vnetctl apply -f` and `teardown -f` on qemu:///system with a lab of all four network models
/// and four VMs with reservations (`TopologyLab`), checked through virsh, `ip` and libvirt's
/// dnsmasq files, never through vnetctl.
@Suite(.onTestThreads, .serialized)
struct TopologyApplyTests {
    /// A lab on a fresh host bridge, written and (unless `apply` is false) applied; `body` runs,
    /// then everything is removed, also when `body` throws or an expectation fails.
    func withLab(guestRuns: Bool = false, apply: Bool = true, _ body: (TopologyLab) throws -> Void) throws {
        let bridge = try TestBridge()
        defer { bridge.remove() }
        let lab = try TopologyLab(bridge: bridge.name, guestRuns: guestRuns)
        defer { lab.remove() }
        try lab.write()
        if apply {
            let result = try lab.apply()
            try #require(result.status == 0, "first apply: \(result)")
        }
        try body(lab)
    }

    func snapshot(_ lab: TopologyLab, also networks: [String] = []) throws -> TopologySnapshot {
        try TopologySnapshot.capture(networks: lab.networks + networks, domains: lab.vms)
    }

    func dhcpHosts(_ network: String, inactive: Bool) throws -> [VMNetworkXML.DHCPHost] {
        try VMNetworkXML.read(network, inactive: inactive).dhcpHosts
    }

    static func randomMAC() -> String {
        "52:54:00:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
    }

    // MARK: - apply from nothing, then again

    @Test func applyFromNothingCreatesEverythingAndSecondApplyWritesNothing() throws {
        try withLab(apply: false) { lab in
            let first = try lab.apply()
            #expect(first.status == 0, "\(first)")
            for name in lab.networks { #expect(first.stdout.contains("network \(name): created"), "\(first.stdout)") }
            for name in lab.vms { #expect(first.stdout.contains("vm \(name): created"), "\(first.stdout)") }
            #expect(TopologyLab.summaryLine(first.stdout).hasPrefix("8 changed"), "\(first.stdout)")

            let networks = try Virsh.output(["net-list", "--all", "--name"])
            for name in lab.networks { #expect(networks.contains(name), "\(name) missing from net-list --all") }
            #expect(try Virsh.networkNames(all: false).isSuperset(of: lab.networks), "every network runs (start defaults to true)")
            let domains = try Virsh.output(["list", "--all", "--name"])
            for name in lab.vms { #expect(domains.contains(name), "\(name) missing from list --all") }

            // Every reservation, with the MAC the VM's NIC got, live and saved.
            let expected: [(vm: String, network: String, ip: String)] = [
                (lab.vm1, lab.nat, lab.ip(lab.natOctet, 11)), (lab.vm1, lab.isolated, lab.ip(lab.isolatedOctet, 11)),
                (lab.vm2, lab.nat, lab.ip(lab.natOctet, 12)), (lab.vm3, lab.routed, lab.ip(lab.routedOctet, 20)),
                (lab.vm4, lab.routed, lab.ip(lab.routedOctet, 21)),
            ]
            for (vm, network, ip) in expected {
                let xml = try VirshDomains.xml(vm, inactive: true)
                let macs = try VirshDomains.interfaceMACs(inXML: xml)
                for inactive in [false, true] {
                    let host = try dhcpHosts(network, inactive: inactive).first { $0.ip == ip }
                    #expect(host != nil, "no reservation for \(ip) in \(network) (inactive: \(inactive))")
                    #expect(macs.contains(host?.mac?.lowercased() ?? "?"), "reservation \(ip) has MAC \(host?.mac ?? "-"), \(vm) has \(macs)")
                }
            }

            // Second apply: nothing changes, and nothing is written.
            let before = try snapshot(lab)
            let second = try lab.apply()
            let after = try snapshot(lab)
            #expect(second.status == 0, "\(second)")
            #expect(TopologyLab.summaryLine(second.stdout).hasPrefix("0 changed"), "\(second.stdout)")
            #expect(before.differences(to: after) == [])
            for name in lab.dnsmasqNetworks { #expect(before.dnsmasq[name] ?? nil != nil, "\(name) has no dnsmasq pid") }
        }
    }

    // MARK: - reservations, updated live while a guest runs

    @Test func addedAndRemovedReservationIsUpdatedLiveWithoutRestart() throws {
        try withLab(guestRuns: true) { lab in
            let guestBefore = try snapshot(lab).domainStates[lab.vm1]
            #expect(guestBefore?.hasPrefix("running") == true, "\(guestBefore ?? "-")")
            let pid = try #require(TopologyLab.dnsmasqPID(lab.nat))
            let mac = Self.randomMAC(), ip = lab.ip(lab.natOctet, 50)
            let otherNetworks = try TopologySnapshot.capture(networks: [lab.routed, lab.isolated, lab.bridged], domains: lab.vms)

            lab.natHosts = [(mac, 50, "extra")]
            try lab.write()
            let added = try lab.apply()
            #expect(added.status == 0, "\(added)")
            #expect(added.stdout.contains("network \(lab.nat): updated live"), "\(added.stdout)")
            #expect(added.stdout.contains("+host \(mac),\(ip),extra"), "\(added.stdout)")
            #expect(TopologyLab.summaryLine(added.stdout).hasPrefix("1 changed"), "\(added.stdout)")
            #expect(TopologyLab.dnsmasqPID(lab.nat) == pid, "dnsmasq was restarted")
            #expect(TopologyLab.hostsFile(lab.nat).contains("\(mac),\(ip)"), "hostsfile: \(TopologyLab.hostsFile(lab.nat))")
            for inactive in [false, true] {
                #expect(try dhcpHosts(lab.nat, inactive: inactive).contains { $0.mac?.lowercased() == mac && $0.ip == ip },
                        "inactive: \(inactive)")
            }
            #expect(try TopologySnapshot.capture(networks: [lab.routed, lab.isolated, lab.bridged], domains: lab.vms)
                .differences(to: otherNetworks) == [], "only the nat network changes; the running guest stays")

            lab.natHosts = []
            try lab.write()
            let removed = try lab.apply()
            #expect(removed.status == 0, "\(removed)")
            #expect(removed.stdout.contains("network \(lab.nat): updated live"), "\(removed.stdout)")
            #expect(removed.stdout.contains("-host \(mac),\(ip),extra"), "\(removed.stdout)")
            #expect(TopologyLab.dnsmasqPID(lab.nat) == pid, "dnsmasq was restarted")
            #expect(!TopologyLab.hostsFile(lab.nat).contains(mac), "hostsfile: \(TopologyLab.hostsFile(lab.nat))")
            for inactive in [false, true] {
                #expect(try !dhcpHosts(lab.nat, inactive: inactive).contains { $0.mac?.lowercased() == mac }, "inactive: \(inactive)")
            }
            #expect(try snapshot(lab).domainStates[lab.vm1] == guestBefore, "the guest kept running, same domain id")
            #expect(TopologyLab.summaryLine(try lab.apply().stdout).hasPrefix("0 changed"))
        }
    }

    // MARK: - --check, --json

    @Test func checkChangesNothingAndReportsWhatApplyThenDoes() throws {
        try withLab { lab in
            lab.natHosts = [(Self.randomMAC(), 51, "checked")]
            try lab.write()
            let before = try snapshot(lab)
            let check = try lab.apply(["--check"])
            let after = try snapshot(lab)
            #expect(check.status == 0, "\(check)")
            #expect(before.differences(to: after) == [])
            #expect(TopologyLab.summaryLine(check.stdout).hasPrefix("1 would change"), "\(check.stdout)")

            let real = try lab.apply()
            #expect(real.status == 0, "\(real)")
            #expect(TopologyLab.objectLines(check.stdout) == TopologyLab.objectLines(real.stdout))
            #expect(TopologyLab.objectLines(real.stdout).contains { $0.hasPrefix("network \(lab.nat): updated live") }, "\(real.stdout)")
        }
    }

    struct JSONReport: Decodable {
        struct Action: Decodable {
            var kind: String
            var name: String
            var outcome: String
        }
        var actions: [Action]
        var changed: Int
    }

    @Test func jsonReportHasAnOutcomePerObjectAndTheChangedCount() throws {
        try withLab(apply: false) { lab in
            let first = try lab.apply(["--json"])
            #expect(first.status == 0, "\(first)")
            let created = try JSONDecoder().decode(JSONReport.self, from: Data(first.stdout.utf8))
            #expect(created.changed == 8)
            #expect(Set(created.actions.map(\.name)) == Set(lab.networks + lab.vms))
            #expect(created.actions.allSatisfy { $0.outcome == "created" }, "\(first.stdout)")
            #expect(created.actions.filter { $0.kind == "network" }.count == 4)

            lab.natHosts = [(Self.randomMAC(), 52, "json")]
            try lab.write()
            let second = try lab.apply(["--json"])
            #expect(second.status == 0, "\(second)")
            let updated = try JSONDecoder().decode(JSONReport.self, from: Data(second.stdout.utf8))
            #expect(updated.changed == 1)
            #expect(Dictionary(uniqueKeysWithValues: updated.actions.map { ($0.name, $0.outcome) })
                == Dictionary(uniqueKeysWithValues: (lab.networks + lab.vms).map { ($0, $0 == lab.nat ? "updated live" : "unchanged") }))
        }
    }

    // MARK: - refused changes and bad files

    @Test func subnetChangeWithoutAllowRestartIsRefusedAndChangesNothing() throws {
        try withLab { lab in
            let oldOctet = lab.routedOctet
            lab.routedOctet = try TestSubnets.freeThirdOctet()
            try lab.write()
            let before = try snapshot(lab)
            let result = try lab.apply()
            let after = try snapshot(lab)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("network \(lab.routed)"), "\(result.stderr)")
            #expect(result.stderr.contains("10.123.\(oldOctet).") && result.stderr.contains("10.123.\(lab.routedOctet)."), "\(result.stderr)")
            #expect(result.stderr.contains(lab.vm3) && result.stderr.contains(lab.vm4), "affected VMs: \(result.stderr)")
            #expect(!result.stderr.contains(lab.vm1) && !result.stderr.contains(lab.vm2), "\(result.stderr)")
            #expect(result.stderr.contains("--allow-restart"), "\(result.stderr)")
            #expect(before.differences(to: after) == [])

            let check = try lab.apply(["--check"])
            #expect(check.status == 2, "--check reports the restart with exit 2: \(check)")
            #expect(check.stdout.contains("network \(lab.routed): restart needed"), "\(check.stdout)")
            #expect(try snapshot(lab).differences(to: after) == [])
        }
    }

    @Test func driftInTheRunningConfigIsRemovedLiveAndSavedConfigKept() throws {
        try withLab(guestRuns: true) { lab in
            let inactiveBefore = try Virsh.output(["net-dumpxml", "--inactive", lab.nat])
            let pid = try #require(TopologyLab.dnsmasqPID(lab.nat))
            let mac = Self.randomMAC(), ip = lab.ip(lab.natOctet, 60)
            try Virsh.output(["net-update", lab.nat, "add", "ip-dhcp-host", "<host mac='\(mac)' ip='\(ip)'/>", "--live"])
            #expect(try dhcpHosts(lab.nat, inactive: false).contains { $0.mac?.lowercased() == mac })
            #expect(try Virsh.output(["net-dumpxml", "--inactive", lab.nat]) == inactiveBefore)
            let guest = try snapshot(lab).domainStates[lab.vm1]

            let result = try lab.apply()
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("network \(lab.nat): updated live"), "\(result.stdout)")
            #expect(TopologyLab.summaryLine(result.stdout).hasPrefix("1 changed"), "\(result.stdout)")
            #expect(try !dhcpHosts(lab.nat, inactive: false).contains { $0.mac?.lowercased() == mac }, "drift still live")
            #expect(try Virsh.output(["net-dumpxml", "--inactive", lab.nat]) == inactiveBefore, "saved config changed")
            #expect(!TopologyLab.hostsFile(lab.nat).contains(mac))
            #expect(TopologyLab.dnsmasqPID(lab.nat) == pid)
            #expect(try snapshot(lab).domainStates[lab.vm1] == guest, "the guest kept running")

            let again = try lab.apply()
            #expect(TopologyLab.summaryLine(again.stdout).hasPrefix("0 changed"), "\(again)")
        }
    }

    enum BadFile: String, CaseIterable, Sendable {
        case unknownKeyInLastNetwork, vmOnMissingNetwork, vmIPOutsideSubnet, ipv6TwiceInTheFile, diskBaseMissing
    }

    @Test(arguments: BadFile.allCases)
    func badFileIsRefusedBeforeAnyChange(_ bad: BadFile) throws {
        try withLab(apply: false) { lab in
            let good = lab.yaml
            let missing = TestNames.unique("nonet")
            let expected: [String]
            switch bad {
            case .unknownKeyInLastNetwork:
                lab.override = good.replacingOccurrences(of: "    bridge: \(lab.bridge)", with: "    bridge: \(lab.bridge)\n    subnett: auto")
                expected = ["\(lab.path):17:", "networks[3].subnett", "did you mean 'subnet'"]
            case .vmOnMissingNetwork:
                lab.override = good.replacingOccurrences(of: "  - { network: \(lab.bridged) }", with: "  - { network: \(missing) }")
                expected = [lab.path, missing, lab.vm4]
            case .vmIPOutsideSubnet:
                lab.override = good.replacingOccurrences(of: "ip: \(lab.ip(lab.routedOctet, 21))", with: "ip: 10.124.0.21")
                expected = [lab.path, "10.124.0.21", lab.routed]
            case .ipv6TwiceInTheFile:
                // The isolated network (its entry on line 12 once the nat one gains a line) takes the
                // nat network's IPv6 subnet; neither exists yet, so only the plan can see the clash.
                let ipv6 = "fd00:123:\(lab.natOctet)::/64"
                lab.override = good
                    .replacingOccurrences(of: "    model: nat\n", with: "    model: nat\n    ipv6: \"\(ipv6)\"\n")
                    .replacingOccurrences(of: "    model: isolated\n", with: "    model: isolated\n    ipv6: \"\(ipv6)\"\n")
                expected = ["\(lab.path):12:", ": ipv6 \(ipv6) overlaps network '\(lab.nat)' earlier in the file"]
            case .diskBaseMissing:
                // The last VM's disk base is missing: refused while planning, before the networks are made.
                let base = "/nonexistent/vnt-base-\(lab.topologyName).qcow2"
                lab.override = good.replacingOccurrences(
                    of: "  - name: \(lab.vm4)\n    memory: 128MiB\n    set: { virtType: qemu }",
                    with: "  - name: \(lab.vm4)\n    template: disk\n    memory: 128MiB\n    set: { virtType: qemu, disk.base: \(base) }")
                try #require(lab.override != good)
                expected = [lab.path, "disk.base=\(base)", "does not exist"]
            }
            try lab.write()
            let before = try snapshot(lab)
            let result = try lab.apply()
            let after = try snapshot(lab)
            #expect(result.status == 2, "\(result)")
            for part in expected { #expect(result.stderr.contains(part), "'\(part)' missing: \(result.stderr)") }
            #expect(before.differences(to: after) == [])
            #expect(try Virsh.networkNames(all: true).isDisjoint(with: lab.networks), "networks earlier in the file were defined")
            #expect(try VirshDomains.names().isDisjoint(with: lab.vms))
        }
    }

    // MARK: - teardown

    @Test func teardownRemovesTheLabAndNothingElse() throws {
        let bystander = TestNames.unique("by")
        let octet = try TestSubnets.freeThirdOctet()
        defer { Virsh.destroyAndUndefine(bystander) }
        try Virsh.defineAndStart(xml: """
            <network><name>\(bystander)</name><bridge name='vnby\(bystander.suffix(6))'/>
            <ip address='10.123.\(octet).1' netmask='255.255.255.0'>
            <dhcp><range start='10.123.\(octet).100' end='10.123.\(octet).200'/></dhcp></ip></network>
            """, name: bystander)
        try withLab(guestRuns: true) { lab in
            let bridges = try lab.dnsmasqNetworks.map { try #require(VMNetworkXML.read($0).bridge) }
            let pids = lab.dnsmasqNetworks.compactMap { TopologyLab.dnsmasqPID($0) }
            #expect(pids.count == 3)
            let macs = try lab.vms.flatMap { try VirshDomains.interfaceMACs(inXML: VirshDomains.xml($0, inactive: true)) }
            let bystanderBefore = try TopologySnapshot.capture(networks: [bystander], domains: [])

            let result = try lab.teardown()
            #expect(result.status == 0, "\(result)")
            for name in lab.networks + lab.vms { #expect(result.stdout.contains("\(name): removed"), "\(result.stdout)") }

            #expect(try Virsh.networkNames(all: true).isDisjoint(with: lab.networks))
            #expect(try VirshDomains.names().isDisjoint(with: lab.vms))
            let links = try LibvirtState.linkNames()
            for bridge in bridges { #expect(!links.contains(bridge), "bridge \(bridge) left behind") }
            #expect(links.contains(lab.bridge), "the host bridge of the bridged network is the host's, not the lab's")
            // libvirt 9 (Debian 12) leaves the pid file itself behind after net-destroy, with plain
            // virsh too; what counts is that the pid it names runs no dnsmasq any more.
            for name in lab.dnsmasqNetworks {
                #expect(!FileManager.default.fileExists(atPath: "/var/lib/libvirt/dnsmasq/\(name).hostsfile"))
                #expect(!FileManager.default.fileExists(atPath: "/var/lib/libvirt/dnsmasq/\(name).conf"))
            }
            for pid in Set(pids + lab.dnsmasqNetworks.compactMap { TopologyLab.dnsmasqPID($0) }) {
                let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
                #expect(!cmdline.contains("dnsmasq"), "dnsmasq \(pid) still runs")
            }
            let processes = try Command.output(["ps", "-eo", "args"])
            for name in lab.dnsmasqNetworks { #expect(!processes.contains("\(name).conf"), "a dnsmasq for \(name) still runs") }
            // No reservation of the lab's MACs anywhere.
            for network in try Virsh.networkNames(all: true) {
                guard let xml = try? Virsh.output(["net-dumpxml", "--inactive", network]) else { continue }
                for mac in macs { #expect(!xml.lowercased().contains(mac), "\(network) still reserves \(mac)") }
            }
            #expect(try TopologySnapshot.capture(networks: [bystander], domains: []).differences(to: bystanderBefore) == [])
            #expect(try Virsh.isActive(bystander))

            let again = try lab.teardown()
            #expect(again.status == 0, "a second teardown finds nothing and succeeds: \(again)")
        }
    }
}
