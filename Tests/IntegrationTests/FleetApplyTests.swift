import Foundation
import Testing
import TestSupport

/// `apply -f` and `teardown -f` of a file with `hosts:` across this machine's libvirtd and a second
/// one (`VNETCTL_SECOND_HOST`, started by second-host.sh), checked with virsh on each host.
@Suite(.onTestThreads, .serialized, .enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
struct FleetApplyTests {
    static let local = "qemu:///system"
    /// A loopback port where nothing listens: a host that is down, on this machine.
    static let down = "qemu+tcp://127.0.0.1:1/system"

    /// A fleet file of two hosts, `h1` (this machine) and `h2` at `remote`: an isolated network on
    /// each (both named `network`) and `vms` VMs of the same names on each, none started.
    struct Fleet {
        var name = TestNames.unique("fl")
        var octets: [Int]
        var vms: Int
        var file: URL
        var network: String { "\(name)-n" }
        var vmNames: [String] { (1...max(vms, 1)).prefix(vms).map { String(format: "\(name)-%02d", $0) } }

        init(vms: Int) throws {
            self.vms = vms
            octets = [try TestSubnets.freeThirdOctet(), try TestSubnets.freeThirdOctet()]
            file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).yaml")
        }

        /// Writes the file with h2 at `remote`; `extra` is added to each VM of h2 (e.g. a bad `ip:`).
        func write(remote: String, h2NIC: String = "") throws {
            var text = "name: \(name)\nhosts:\n  h1: { uri: \"\(FleetApplyTests.local)\" }\n  h2: { uri: \"\(remote)\" }\nnetworks:\n"
            for (host, octet) in zip(["h1", "h2"], octets) {
                text += "  - { name: \(network), host: \(host), model: isolated, subnet: 10.123.\(octet).0/24 }\n"
            }
            text += "vms:\n"
            for host in ["h1", "h2"] {
                for vm in vmNames {
                    let nic = host == "h2" && !h2NIC.isEmpty ? h2NIC : "{ network: \(network) }"
                    text += "  - { name: \(vm), host: \(host), memory: 32, start: false, set: { virtType: qemu }, nics: [\(nic)] }\n"
                }
            }
            try text.write(to: file, atomically: true, encoding: .utf8)
        }

        /// Removes what the file made on both hosts, whatever the file says now.
        func remove(remote: String) {
            for uri in [FleetApplyTests.local, remote] {
                for vm in vmNames { _ = try? Command.run(["virsh", "-q", "-c", uri, "undefine", vm]) }
                _ = try? Command.run(["virsh", "-q", "-c", uri, "net-destroy", network])
                _ = try? Command.run(["virsh", "-q", "-c", uri, "net-undefine", network])
            }
            try? FileManager.default.removeItem(at: file)
        }

        /// `vnetctl --json ARGS -f FILE`, its status and parsed report.
        func run(_ arguments: [String]) throws -> (status: Int32, report: [String: Any], result: CommandResult) {
            let result = try VNetCtlBinary.run(["--json"] + arguments + ["-f", file.path])
            let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
            return (result.status, report, result)
        }
    }

    func withFleet(vms: Int, _ body: (Fleet, String) throws -> Void) throws {
        let remote = try #require(SecondHost.current).uri
        let fleet = try Fleet(vms: vms)
        defer { fleet.remove(remote: remote) }
        try body(fleet, remote)
    }

    /// Per host name in the report: its status and how many objects changed.
    func hosts(_ report: [String: Any]) -> [String: (status: String, changed: Int)] {
        var hosts: [String: (String, Int)] = [:]
        for host in report["hosts"] as? [[String: Any]] ?? [] {
            if let name = host["name"] as? String { hosts[name] = (host["status"] as? String ?? "", host["changed"] as? Int ?? -1) }
        }
        return hosts
    }

    /// The MAC of every NIC of `vms` on `uri`, from virsh.
    func macs(of vms: [String], on uri: String) throws -> [String] {
        try vms.flatMap { vm in
            try Command.output(["virsh", "-q", "-c", uri, "domiflist", vm]).split(separator: "\n").compactMap { line in
                line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init)
            }
        }
    }

    func exists(network: String, on uri: String) throws -> Bool {
        try Command.output(["virsh", "-q", "-c", uri, "net-list", "--all", "--name"]).split(separator: "\n").contains { $0 == network }
    }

    @Test func twentyVMsOnEachHostGetFortyDistinctMACsAndASecondApplyChangesNothing() throws {
        try withFleet(vms: 20) { fleet, remote in
            try fleet.write(remote: remote)
            let first = try fleet.run(["apply"])
            try #require(first.status == 0, "\(first.result)")
            #expect(hosts(first.report)["h1"]?.changed == 21 && hosts(first.report)["h2"]?.changed == 21, "\(first.result.stdout)")
            #expect(first.report["converged"] as? [String] == ["h1", "h2"])
            let here = try macs(of: fleet.vmNames, on: Self.local), there = try macs(of: fleet.vmNames, on: remote)
            #expect(here.count == 20 && there.count == 20, "here \(here), there \(there)")
            #expect(Set(here + there).count == 40, "one MAC on both hosts: \(Set(here).intersection(there))")
            #expect((here + there).allSatisfy { $0.hasPrefix("52:54:00:") })

            // The fleet check reads both hosts (the file's hosts:); other tests' objects may hold
            // duplicates of their own, so only this fleet's VMs are looked at.
            let check = try VNetCtlBinary.run(["--json", "macs", "--check", "--hosts", fleet.file.path])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check)")
            let groups = try #require(report["duplicates"] as? [[[String: Any]]], "\(check.stdout)")
            let ours = groups.filter { group in group.contains { fleet.vmNames.contains($0["owner"] as? String ?? "") } }
            #expect(ours.isEmpty, "fleet duplicates: \(ours)")
            let list = try VNetCtlBinary.run(["--json", "macs", "--hosts", fleet.file.path])
            let uses = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any], "\(list)")["macs"]
            let fleetUses = (uses as? [[String: Any]] ?? []).filter { fleet.vmNames.contains($0["owner"] as? String ?? "") }
            #expect(Set(fleetUses.compactMap { $0["host"] as? String }) == ["h1", "h2"] && fleetUses.count == 40, "\(fleetUses)")

            let second = try fleet.run(["apply"])
            #expect(second.status == 0, "\(second.result)")
            #expect(hosts(second.report)["h1"]?.changed == 0 && hosts(second.report)["h2"]?.changed == 0, "\(second.result.stdout)")
            #expect(try macs(of: fleet.vmNames, on: Self.local) == here && macs(of: fleet.vmNames, on: remote) == there)

            let teardown = try fleet.run(["teardown"])
            #expect(teardown.status == 0, "\(teardown.result)")
            for uri in [Self.local, remote] {
                #expect(try !exists(network: fleet.network, on: uri))
                let left = try Command.output(["virsh", "-q", "-c", uri, "list", "--all", "--name"])
                #expect(!fleet.vmNames.contains { left.contains($0) }, "\(uri) still has: \(left)")
            }
        }
    }

    /// A bad NIC on the second host refuses the file before the first host's valid part is made.
    @Test func theWholeFileIsCheckedOnEveryHostBeforeAnyChange() throws {
        try withFleet(vms: 1) { fleet, remote in
            try fleet.write(remote: remote, h2NIC: "{ network: \(fleet.network), ip: 10.123.\(fleet.octets[0]).20 }")
            let result = try VNetCtlBinary.run(["apply", "-f", fleet.file.path])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("\(fleet.file.path):") && result.stderr.contains("outside the subnet"), "\(result.stderr)")
            for uri in [Self.local, remote] {
                #expect(try !exists(network: fleet.network, on: uri), "\(uri): changed although the file was refused")
                #expect(try !Command.output(["virsh", "-q", "-c", uri, "list", "--all", "--name"]).contains(fleet.vmNames[0]))
            }
        }
    }

    /// A host that is down fails alone; its part converges later, first with `--host`, then the whole file is unchanged.
    @Test func aDownHostFailsAloneAndIsConvergedLater() throws {
        try withFleet(vms: 1) { fleet, remote in
            try fleet.write(remote: Self.down)
            let first = try fleet.run(["apply"])
            #expect(first.status == 1, "\(first.result)")
            #expect(first.report["converged"] as? [String] == ["h1"] && first.report["failed"] as? [String] == ["h2"], "\(first.result.stdout)")
            #expect(hosts(first.report)["h1"]?.status == "converged" && hosts(first.report)["h2"]?.status == "failed")
            #expect(try exists(network: fleet.network, on: Self.local))
            #expect(try macs(of: fleet.vmNames, on: Self.local).count == 1)
            let text = try VNetCtlBinary.run(["apply", "-f", fleet.file.path])
            #expect(text.status == 1 && text.stdout.contains("failed: h2"), "\(text)")

            // h2's own part, through -c: nothing of h1's is touched.
            let part = try fleet.run(["-c", remote, "apply", "--host", "h2"])
            #expect(part.status == 0, "\(part.result)")
            #expect(part.report["changed"] as? Int == 2, "\(part.result.stdout)")
            #expect(try exists(network: fleet.network, on: remote))

            try fleet.write(remote: remote)
            let again = try fleet.run(["apply"])
            #expect(again.status == 0, "\(again.result)")
            #expect(hosts(again.report)["h1"]?.changed == 0 && hosts(again.report)["h2"]?.changed == 0, "\(again.result.stdout)")
        }
    }
}
