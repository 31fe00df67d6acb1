import Foundation
import Testing
import TestSupport

/// Crash safety, proved by killing vnetctl (SIGKILL, through `VNETCTL_FAULT_AFTER_STEP`) after each
/// step of a change in turn: after every kill the same command, run again, converges to what an
/// uninterrupted run leaves, as virsh shows it, and `vnetctl leftovers` names none of the test's
/// objects; and `undefine vm` releases what a cut-off define left.
@Suite(.onTestThreads, .serialized)
struct KillWalkTests {
    static func vnetctl(_ arguments: [String], faultAfter step: Int? = nil) throws -> CommandResult {
        try VNetCtlBinary.run(
            ["-c", Virsh.uri] + arguments, environment: step.map { ["VNETCTL_FAULT_AFTER_STEP": "\($0)"] } ?? [:])
    }

    /// What `define vm` leaves, as virsh shows it: the VM's NIC MACs, and the network's reservations
    /// and DNS hosts (live and saved) for the VM's addresses.
    struct VMState: Equatable, CustomStringConvertible {
        var macs: [String]?
        var hosts: [[String]]
        var dns: [[String]]
        var description: String { "macs \(macs ?? []), hosts \(hosts), dns \(dns)" }

        static func capture(vm: String, network: String, ips: [String]) throws -> VMState {
            let macs = VirshDomains.exists(vm) ? try VirshDomains.interfaceMACs(inXML: VirshDomains.xml(vm, inactive: true)) : nil
            var hosts: [[String]] = [], dns: [[String]] = []
            for inactive in [false, true] {
                let xml = try VMNetworkXML.read(network, inactive: inactive)
                hosts.append(xml.dhcpHosts.filter { ips.contains($0.ip ?? "") }.map { "\($0.mac ?? "") \($0.ip ?? "") \($0.name ?? "")" }.sorted())
                dns.append(xml.dnsHosts.filter { ips.contains($0.ip) }.map { "\($0.ip) \($0.hostnames)" }.sorted())
            }
            return VMState(macs: macs, hosts: hosts, dns: dns)
        }
    }

    @Test func defineVMConvergesAfterAKillAtEveryStep() throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("kw")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let ips = [try #require(network.address(30)), try #require(network.address(31))]
        let define = ["define", "vm", vm, "--network", "\(network.name),ip=\(ips[0])", "--network", "\(network.name),ip=\(ips[1])",
                      "--set", "virtType=qemu"]

        // What an uninterrupted run leaves, and that undefine takes it all away again.
        let clean = try Self.vnetctl(define)
        try #require(clean.status == 0, "\(clean)")
        let expected = try VMState.capture(vm: vm, network: network.name, ips: ips)
        try #require(expected.macs?.count == 2 && expected.hosts.allSatisfy { $0.count == 2 }, "\(expected)")
        let empty = VMState(macs: nil, hosts: [[], []], dns: [[], []])
        try #require(try Self.vnetctl(["undefine", "vm", vm]).status == 0)
        try #require(try VMState.capture(vm: vm, network: network.name, ips: ips) == empty)

        var step = 1
        while true {
            let cut = try Self.vnetctl(define, faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            if VirshDomains.exists(vm) {
                // Killed after the define itself: nothing was left to do.
                #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == expected, "after step \(step)")
            } else {
                let again = try Self.vnetctl(define)
                #expect(again.status == 0, "rerun after step \(step): \(again)")
                #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == expected, "rerun after step \(step)")
            }
            let macs = try Self.vnetctl(["macs", "--check"])
            #expect(macs.status == 0, "after step \(step): \(macs)")
            #expect(try LeftoverCheckTests.leftovers(about: [network.name, vm]).isEmpty, "after step \(step)")
            let removed = try Self.vnetctl(["undefine", "vm", vm])
            #expect(removed.status == 0, "\(removed)")
            #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == empty, "after step \(step)")
            step += 1
        }
        #expect(step == 6, "define vm with two reserved NICs has five steps: two reservations, two DNS hosts, the define")
    }

    /// The domain's state as virsh says it, or nil when there is no such domain.
    static func domainState(_ vm: String) throws -> String? {
        VirshDomains.exists(vm) ? try Virsh.output(["domstate", vm]).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @Test func defineVMWithStartConvergesAfterAKillAtEveryStep() throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("ks")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let ips = [try #require(network.address(35))]
        let define = ["define", "vm", vm, "--network", "\(network.name),ip=\(ips[0])", "--memory", "128MiB",
                      "--set", "virtType=qemu", "--start"]
        let clean = try Self.vnetctl(define)
        try #require(clean.status == 0, "\(clean)")
        let expected = try VMState.capture(vm: vm, network: network.name, ips: ips)
        try #require(try Self.domainState(vm) == "running")
        let empty = VMState(macs: nil, hosts: [[], []], dns: [[], []])
        try #require(try Self.vnetctl(["undefine", "vm", vm, "--force"]).status == 0)

        var step = 1
        while true {
            let cut = try Self.vnetctl(define, faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            let again = try Self.vnetctl(define)
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == expected, "rerun after step \(step)")
            #expect(try Self.domainState(vm) == "running", "rerun after step \(step)")
            // A second rerun finds the VM whole and running: the name is taken, as for any define.
            let third = try Self.vnetctl(define)
            #expect(third.status == 2 && third.stderr.contains("already exists"), "\(third)")
            #expect(try LeftoverCheckTests.leftovers(about: [network.name, vm]).isEmpty, "after step \(step)")
            let removed = try Self.vnetctl(["undefine", "vm", vm, "--force"])
            #expect(removed.status == 0, "\(removed)")
            #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == empty, "after step \(step)")
            step += 1
        }
        #expect(step == 4, "define vm --start with one reserved NIC has three steps before the start: reservation, DNS host, define")
    }

    @Test func aDefinedVMThatDiffersFromTheCommandIsNotStarted() throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("kd")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let define = ["define", "vm", vm, "--network", network.name, "--memory", "128MiB", "--set", "virtType=qemu"]
        try #require(try Self.vnetctl(define).status == 0)
        let bigger = try Self.vnetctl(define.map { $0 == "128MiB" ? "256MiB" : $0 } + ["--start"])
        #expect(bigger.status == 2 && bigger.stderr.contains("already exists"), "\(bigger)")
        #expect(try Self.domainState(vm) == "shut off")
        let same = try Self.vnetctl(define + ["--start"])
        #expect(same.status == 0, "the same command with --start finishes the VM: \(same)")
        #expect(try Self.domainState(vm) == "running")
    }

    @Test func defineVMWithADiskOverlayConvergesAfterAKillAtEveryStep() throws {
        let lab = try OverlayLab()
        let vm = TestNames.unique("ko")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            lab.remove()
        }
        cleanup.track(vm)
        let ips = [try #require(lab.network.address(36))]
        let define = ["define", "vm", vm, "--network", "\(lab.network.name),ip=\(ips[0])", "--template", "disk", "--memory", "128MiB",
                      "--set", "virtType=qemu", "--set", "disk.base=\(lab.base)", "--set", "disk.pool=\(lab.name)"]
        func state() throws -> String {
            let disks = VirshDomains.exists(vm) ? try Virsh.output(["domblklist", vm, "--details"]) : "-"
            return "\(try VMState.capture(vm: vm, network: lab.network.name, ips: ips)) volumes \(try lab.volumes()) disks \(disks)"
        }
        let clean = try Self.vnetctl(define)
        try #require(clean.status == 0, "\(clean)")
        let expected = try state()
        try #require(try lab.volumes() == ["\(vm).qcow2"] && expected.contains(lab.overlay(vm)), "\(expected)")
        try #require(try Self.vnetctl(["undefine", "vm", vm]).status == 0)
        try #require(try lab.volumes().isEmpty)

        var step = 1
        while true {
            let cut = try Self.vnetctl(define, faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            if !VirshDomains.exists(vm) {
                let again = try Self.vnetctl(define)
                #expect(again.status == 0, "rerun after step \(step): \(again)")
            }
            #expect(try state() == expected, "after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [lab.network.name, lab.name]).isEmpty, "after step \(step)")
            let removed = try Self.vnetctl(["undefine", "vm", vm])
            #expect(removed.status == 0, "\(removed)")
            #expect(try lab.volumes().isEmpty, "after step \(step)")
            step += 1
        }
        #expect(step == 5, "define vm with a reserved NIC and an overlay has four steps: reservation, DNS host, overlay, define")
        _ = try Self.vnetctl(["undefine", "vm", vm])

        // A volume of the overlay's name that is not the planned overlay (here: no backing file) is
        // the user's: refused, and left as it was.
        try Virsh.output(["vol-create-as", lab.name, "\(vm).qcow2", "64M", "--format", "qcow2"])
        let refused = try Self.vnetctl(define)
        #expect(refused.status == 2 && refused.stderr.contains("already has a volume"), "\(refused)")
        #expect(try lab.volumes() == ["\(vm).qcow2"] && !VirshDomains.exists(vm))
        let info = try Virsh.output(["vol-dumpxml", "\(vm).qcow2", "--pool", lab.name])
        #expect(!info.contains("<backingStore>"), "\(info)")
    }

    @Test(arguments: [1, 2, 3, 4])
    func undefineReleasesWhatACutOffDefineLeft(step: Int) throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("kw")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let ips = [try #require(network.address(40)), try #require(network.address(41))]
        let cut = try Self.vnetctl(
            ["define", "vm", vm, "--network", "\(network.name),ip=\(ips[0])", "--network", "\(network.name),ip=\(ips[1])",
             "--set", "virtType=qemu"], faultAfter: step)
        try #require(cut.status == 9, "\(cut)")
        #expect(!VirshDomains.exists(vm))
        let left = try VMState.capture(vm: vm, network: network.name, ips: ips)
        #expect(!left.hosts[1].isEmpty, "the cut-off define left a reservation: \(left)")

        let released = try Self.vnetctl(["undefine", "vm", vm])
        #expect(released.status == 0, "\(released)")
        #expect(released.stdout.contains("released the reservation(s) a cut-off define left"), "\(released.stdout)")
        #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == VMState(macs: nil, hosts: [[], []], dns: [[], []]))
        let nothing = try Self.vnetctl(["undefine", "vm", vm])
        #expect(nothing.status == 2 && nothing.stderr.contains("no VM named"), "\(nothing)")
    }

    /// A network as virsh shows it: active, autostart, and its saved XML without the UUID and the
    /// bridge MAC, which libvirt picks anew at each define.
    static func networkState(_ name: String) throws -> String? {
        guard try Virsh.networkNames(all: true).contains(name) else { return nil }
        let info = try Virsh.output(["net-info", name]).split(separator: "\n").filter { $0.hasPrefix("Active") || $0.hasPrefix("Autostart") }
        let xml = try Virsh.output(["net-dumpxml", "--inactive", name]).split(separator: "\n")
            .filter { !$0.contains("<uuid>") && !$0.contains("<mac address") }
        return (info + xml).joined(separator: "\n")
    }

    @Test func defineNetworkConvergesAfterAKillAtEveryStep() throws {
        let name = TestNames.unique("kn"), octet = try TestSubnets.freeThirdOctet()
        defer { Virsh.destroyAndUndefine(name) }
        let define = ["define", "network", name, "--model", "nat", "--subnet", "10.123.\(octet).0/24", "--autostart", "--start"]
        let clean = try Self.vnetctl(define)
        try #require(clean.status == 0, "\(clean)")
        let expected = try #require(try Self.networkState(name))
        try #require(try Self.vnetctl(["undefine", "network", name]).status == 0)

        var step = 1
        while true {
            let cut = try Self.vnetctl(define, faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try Self.networkState(name) == expected)
                try #require(try Self.vnetctl(["undefine", "network", name]).status == 0)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            let again = try Self.vnetctl(define)
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try Self.networkState(name) == expected, "rerun after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [name]).isEmpty, "after step \(step)")
            // A second rerun finds the network whole: the name is taken, as for any define.
            let third = try Self.vnetctl(define)
            #expect(third.status == 2 && third.stderr.contains("already exists"), "\(third)")
            try #require(try Self.vnetctl(["undefine", "network", name]).status == 0)
            step += 1
        }
        #expect(step == 3, "define network --autostart --start has two steps before the start: the define, the autostart")
    }

    @Test func undefineConvergesAfterAKillAtEveryStep() throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("ku")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let ips = [try #require(network.address(50)), try #require(network.address(51))]
        let define = ["define", "vm", vm, "--network", "\(network.name),ip=\(ips[0])", "--network", "\(network.name),ip=\(ips[1])",
                      "--set", "virtType=qemu"]
        let empty = VMState(macs: nil, hosts: [[], []], dns: [[], []])

        var step = 1
        while true {
            try #require(try Self.vnetctl(define).status == 0)
            let cut = try Self.vnetctl(["undefine", "vm", vm], faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == empty)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            if VirshDomains.exists(vm) {
                let again = try Self.vnetctl(["undefine", "vm", vm])
                #expect(again.status == 0, "rerun after step \(step): \(again)")
            }
            #expect(try VMState.capture(vm: vm, network: network.name, ips: ips) == empty, "after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [network.name, vm]).isEmpty, "after step \(step)")
            step += 1
        }
        #expect(step == 6, "undefine vm with two reserved NICs has five steps: two DNS hosts, two reservations, the undefine")

        // undefine network: stop, then undefine.
        let stopped = try Self.vnetctl(["undefine", "network", network.name], faultAfter: 1)
        #expect(stopped.status == 9, "\(stopped)")
        #expect(try Virsh.networkNames(all: true).contains(network.name) && !(try Virsh.isActive(network.name)))
        let again = try Self.vnetctl(["undefine", "network", network.name])
        #expect(again.status == 0, "\(again)")
        #expect(!(try Virsh.networkNames(all: true)).contains(network.name))
    }

    @Test func applyConvergesAfterAKillAtEveryStep() throws {
        let id = TestNames.unique("ka").suffix(6)
        let nat = "\(TestNames.prefix)kan-\(id)", iso = "\(TestNames.prefix)kai-\(id)", vm = "\(TestNames.prefix)kav-\(id)"
        let natOctet = try TestSubnets.freeThirdOctet(), isoOctet = try TestSubnets.freeThirdOctet()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-kill-apply-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("lab.yaml").path
        defer {
            _ = try? Self.vnetctl(["teardown", "-f", file, "--force"])
            VirshDomains.destroyAndUndefine([vm])
            for network in [nat, iso] { Virsh.destroyAndUndefine(network) }
            try? FileManager.default.removeItem(at: directory)
        }
        try """
            name: \(TestNames.prefix)kill-\(id)
            networks:
              - { name: \(nat), model: nat, subnet: 10.123.\(natOctet).0/24, autostart: true }
              - { name: \(iso), model: isolated, subnet: 10.123.\(isoOctet).0/24 }
            vms:
              - name: \(vm)
                memory: 128MiB
                set: { virtType: qemu }
                start: false
                nics:
                  - { network: \(nat), ip: 10.123.\(natOctet).20 }
                  - { network: \(iso), ip: 10.123.\(isoOctet).20 }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let ips = ["10.123.\(natOctet).20", "10.123.\(isoOctet).20"]
        func state() throws -> [String] {
            [try Self.networkState(nat) ?? "-", try Self.networkState(iso) ?? "-",
             "\(try VMState.capture(vm: vm, network: nat, ips: ips))", "\(try VMState.capture(vm: vm, network: iso, ips: ips))"]
        }
        let clean = try Self.vnetctl(["apply", "-f", file])
        try #require(clean.status == 0, "\(clean)")
        let expected = try state()
        let gone = try Self.vnetctl(["teardown", "-f", file])
        try #require(gone.status == 0, "\(gone)")

        var step = 1
        while true {
            let cut = try Self.vnetctl(["apply", "-f", file], faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try state() == expected)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            let again = try Self.vnetctl(["apply", "-f", file])
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try state() == expected, "rerun after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [nat, iso, vm]).isEmpty, "after step \(step)")
            let idle = try Self.vnetctl(["apply", "-f", file])
            #expect(idle.stdout.contains("0 changed"), "a third run after step \(step) changes nothing: \(idle)")
            let removed = try Self.vnetctl(["teardown", "-f", file])
            #expect(removed.status == 0, "\(removed)")
            step += 1
        }
        // nat: define, autostart; isolated: define; the VM: two reservations, two DNS hosts, the define.
        #expect(step == 9, "apply of this file has eight steps")
    }

    /// A subnet that shrinks from /24 to /25 (the VM's address still fits) restarts the network:
    /// stop, undefine, define, autostart, start, then the VM's reservation back and its running
    /// guest's tap plugged into the new bridge. Each step boundary of the restart is cut, from a
    /// network back at /24 each time (the same network and guest, restarted).
    @Test func applyWithAllowRestartConvergesAfterAKillAtEveryStep() throws {
        let id = TestNames.unique("kr").suffix(6)
        let nat = "\(TestNames.prefix)krn-\(id)", vm = "\(TestNames.prefix)krv-\(id)"
        let octet = try TestSubnets.freeThirdOctet()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-kill-restart-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let wide = directory.appendingPathComponent("wide.yaml").path, narrow = directory.appendingPathComponent("narrow.yaml").path
        defer {
            _ = try? Self.vnetctl(["teardown", "-f", narrow, "--force"])
            VirshDomains.destroyAndUndefine([vm])
            Virsh.destroyAndUndefine(nat)
            try? FileManager.default.removeItem(at: directory)
        }
        for (file, prefix) in [(wide, 24), (narrow, 25)] {
            try """
                name: \(TestNames.prefix)kill-restart-\(id)
                networks:
                  - { name: \(nat), model: nat, subnet: 10.123.\(octet).0/\(prefix), autostart: true }
                vms:
                  - name: \(vm)
                    memory: 128MiB
                    set: { virtType: qemu }
                    start: true
                    nics:
                      - { network: \(nat), ip: 10.123.\(octet).20 }
                """.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let ips = ["10.123.\(octet).20"]
        func state() throws -> [String] {
            let tap = try TopologyRestartTests.tap(of: vm, on: nat) ?? "-"
            let plugged = try TopologyRestartTests.master(of: tap) == TopologyRestartTests.bridge(of: nat)
            return [try Self.networkState(nat) ?? "-", try Virsh.isActive(nat) ? "active" : "inactive",
                    "\(try VMState.capture(vm: vm, network: nat, ips: ips))", "tap \(plugged ? "on" : "off") the bridge"]
        }
        let restart = ["apply", "-f", narrow, "--allow-restart"]
        try #require(try Self.vnetctl(["apply", "-f", wide]).status == 0)
        let clean = try Self.vnetctl(restart)
        try #require(clean.status == 0 && clean.stdout.contains("network \(nat): restarted"), "\(clean)")
        let expected = try state()
        try #require(expected[2].contains(ips[0]) && expected[0].contains("prefix='25'") && expected[3] == "tap on the bridge",
                     "\(expected)")

        var step = 1
        while true {
            let back = try Self.vnetctl(["apply", "-f", wide, "--allow-restart"])
            try #require(back.status == 0 && back.stdout.contains("restarted"), "\(back)")
            let cut = try Self.vnetctl(restart, faultAfter: step)
            if !cut.stderr.contains("VNETCTL_FAULT_AFTER_STEP=\(step): killed") {
                #expect(cut.status == 0, "the run past the last step: \(cut)")
                #expect(try state() == expected)
                break
            }
            #expect(cut.status == 9, "killed by SIGKILL: \(cut)")
            let again = try Self.vnetctl(restart)
            #expect(again.status == 0, "rerun after step \(step): \(again)")
            #expect(try state() == expected, "rerun after step \(step)")
            #expect(try LeftoverCheckTests.leftovers(about: [nat, vm]).isEmpty, "after step \(step)")
            let idle = try Self.vnetctl(restart)
            #expect(idle.stdout.contains("0 changed"), "a third run after step \(step) changes nothing: \(idle)")
            step += 1
        }
        #expect(step == 5, "the restart has four steps before the reservation and the tap: stop, define, autostart, start")
    }
}
