import Foundation
import Testing
import TestSupport

/// vnetctl against a second libvirtd (`../shared/second-host.sh start NAME N`, a libvirtd in its
/// own network namespace NAME at a qemu+tcp URI): host facts come from that host, not from this machine.
///
/// The host is started outside the test run, which names it in the environment:
/// `VNETCTL_SECOND_HOST=NAME=URI` (e.g. `vnh9=qemu+tcp://10.123.200.34/system`); without it the suite
/// is skipped. (Started from inside the test process, the daemonizing script is never reaped.)
@Suite(.onTestThreads, .serialized, .enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
struct RemoteHostTests {
    func withSecondHost(_ body: (String) throws -> Void) throws {
        try body(try #require(SecondHost.current).uri)
    }

    /// The MACs of the links `command` (an `ip -o link`) lists.
    func linkMACs(_ command: [String] = ["ip", "-o", "link"]) throws -> Set<String> {
        let text = try Command.output(command)
        return Set(text.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /link\/ether ([0-9a-f:]{17})/).map { String($0.output.1) }
        })
    }

    @Test func macsShowsThatHostsInterfacesAndNoneOfThisMachines() throws {
        try withSecondHost { uri in
            let theirLinks = ["ip", "-n", try #require(SecondHost.current).namespace, "-o", "link"]
            let before = try linkMACs(theirLinks)
            let result = try VNetCtlBinary.run(["-c", uri, "--json", "macs"])
            try #require(result.status == 0, "\(result)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let uses = try #require(report["macs"] as? [[String: Any]])
            let hostMACs = Set(uses.filter { $0["kind"] as? String == "host-interface" }.compactMap { $0["mac"] as? String })
            // Other tests make and remove links on that host meanwhile: those there all along must be reported.
            let after = try linkMACs(theirLinks)
            let theirs = before.intersection(after)
            let ours = try linkMACs().subtracting(before.union(after))
            #expect(!theirs.isEmpty && theirs.isSubset(of: hostMACs), "that host's \(theirs), reported \(hostMACs)")
            #expect(hostMACs.isDisjoint(with: ours), "this machine's MACs reported as that host's: \(hostMACs.intersection(ours))")
            #expect(report["unseen"] as? [String] == ["addresses", "routes", "forwarding database"])
        }
    }

    @Test func aSubnetOnlyThisMachineUsesIsAcceptedThere() throws {
        try withSecondHost { uri in
            let octet = try TestSubnets.freeThirdOctet(), id = NetObjectNames.id()
            let link = NetObjectNames.interface(id, "l")
            try Command.output(["ip", "link", "add", link, "type", "veth", "peer", "name", NetObjectNames.interface(id, "m")])
            defer { _ = try? Command.run(["ip", "link", "del", link]) }
            try Command.output(["ip", "addr", "add", "10.123.\(octet).1/24", "dev", link])
            let network = TestNames.unique("rm")
            let define = ["define", "network", network, "--model", "isolated", "--subnet", "10.123.\(octet).0/24"]
            let local = try VNetCtlBinary.run(define + ["--dry-run"])
            #expect(local.status == 2, "here the subnet is this machine's own: \(local)")

            defer { _ = try? Command.run(["virsh", "-q", "-c", uri, "net-undefine", network]) }
            let remote = try VNetCtlBinary.run(["-c", uri] + define)
            #expect(remote.status == 0, "\(remote)")
            #expect(remote.stdout.contains("not checked against the remote host's addresses and routes"), "\(remote.stdout)")
            #expect(try Command.output(["virsh", "-q", "-c", uri, "net-list", "--all", "--name"]).contains(network))
        }
    }

    /// That host's own link routes the /30 between the hosts; its libvirt refuses a network there at start.
    @Test func aSubnetThatHostRefusesAtStartIsInvalidInputAndLeavesNothing() throws {
        try withSecondHost { uri in
            let network = TestNames.unique("rr")
            defer { _ = try? Command.run(["virsh", "-q", "-c", uri, "net-undefine", network]) }
            let result = try VNetCtlBinary.run([
                "-c", uri, "define", "network", network, "--model", "isolated", "--subnet", try #require(SecondHost.current).linkSubnet,
                "--no-dhcp", "--start",
            ])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("already in use"), "\(result.stderr)")
            #expect(result.stderr.contains("it was removed again, so nothing changed"), "\(result.stderr)")
            #expect(!(try Command.output(["virsh", "-q", "-c", uri, "net-list", "--all", "--name"])).contains(network))
        }
    }
}
