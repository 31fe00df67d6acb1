import Foundation
import Testing
import TestSupport

/// Each command reads libvirt once: libvirt's call counter (`VNETCTL_DEBUG_ROUNDTRIPS=1`) names no
/// object whose XML one command fetched twice, for reading commands, `define vm` with a reservation
/// and a no-op `apply`.
struct RoundTripTests {
    /// The counter's line of one vnetctl run.
    func counted(_ arguments: [String]) throws -> String {
        let result = try VNetCtlBinary.run(arguments, environment: ["VNETCTL_DEBUG_ROUNDTRIPS": "1"])
        try #require(result.status == 0 || arguments.contains("--check"), "\(result)")
        return try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("libvirt round trips:") }.map(String.init), "\(result)")
    }

    @Test func noCommandFetchesAnObjectsXMLTwice() throws {
        let network = TestNames.unique("rt"), vm = TestNames.unique("rtv"), other = TestNames.unique("rtw")
        let octet = try TestSubnets.freeThirdOctet()
        defer {
            for name in [vm, other] { _ = try? VNetCtlBinary.run(["undefine", "vm", name]) }
            Virsh.destroyAndUndefine(network)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(network).yaml").path
        try """
            networks:
              - { name: \(network), model: isolated, subnet: 10.123.\(octet).0/24 }
            vms:
              - { name: \(vm), start: false, memory: 64MiB, nics: [{ network: \(network), ip: 10.123.\(octet).10 }] }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #require(try VNetCtlBinary.run(["apply", "-f", file]).status == 0)

        let commands: [[String]] = [
            ["list"], ["macs", "--check"], ["show", "network", network], ["show", "vm", vm], ["apply", "-f", file],
            ["apply", "-f", file, "--check"],
            ["define", "vm", other, "--network", "\(network),ip=10.123.\(octet).11", "--memory", "64MiB", "--set", "virtType=qemu"],
        ]
        for command in commands {
            let line = try counted(command)
            #expect(line.hasSuffix("XML fetched more than once: none"), "\(command): \(line)")
        }
        // The reservation define vm made is there, so it read the network it changed only once and still saw it right.
        #expect(try Virsh.dumpXML(network).contains("10.123.\(octet).11"))
    }
}
