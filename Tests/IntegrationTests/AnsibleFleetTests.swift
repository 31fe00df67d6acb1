import Foundation
import Testing
import TestSupport

/// examples/ansible/fleet as shipped: `ansible-playbook` with its two-host inventory (this machine,
/// and the second host through the example's connection plugin) converges each host's part of one
/// fleet file, and a second run reports changed=0 for each; checked with virsh on each host.
@Suite(.onTestThreads, .serialized, .enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
struct AnsibleFleetTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/ansible/fleet")

    /// `changed` of each host in the default callback's PLAY RECAP.
    static func changed(_ stdout: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in stdout.split(separator: "\n") where line.contains(" ok=") {
            let words = line.split(separator: " ")
            guard let host = words.first, let word = words.first(where: { $0.hasPrefix("changed=") }),
                let value = Int(word.dropFirst("changed=".count))
            else { continue }
            counts[String(host)] = value
        }
        return counts
    }

    @Test func theTwoHostInventoryConvergesBothHostsAndASecondRunChangesNothing() throws {
        let second = try #require(SecondHost.current)
        let venv = try AnsibleVenv.ensure()
        let name = TestNames.unique("af"), network = "\(name)-n"
        let octets = [try TestSubnets.freeThirdOctet(), try TestSubnets.freeThirdOctet()]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-ansible-fleet-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.example, to: directory)
        defer {
            for uri in ["qemu:///system", second.uri] {
                _ = try? Command.run(["virsh", "-q", "-c", uri, "undefine", name])
                _ = try? Command.run(["virsh", "-q", "-c", uri, "net-destroy", network])
                _ = try? Command.run(["virsh", "-q", "-c", uri, "net-undefine", network])
            }
            try? FileManager.default.removeItem(at: directory)
        }
        let library = directory.appendingPathComponent("library")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: library.appendingPathComponent("vnetctl").path, withDestinationPath: VNetCtlBinary.path)
        try """
            [defaults]
            library = \(library.path)
            local_tmp = \(directory.path)/local-tmp
            remote_tmp = \(directory.path)/remote-tmp
            retry_files_enabled = False
            nocolor = True

            """.write(to: directory.appendingPathComponent("ansible.cfg"), atomically: true, encoding: .utf8)
        // The example's hosts (kvm1, kvm2), with this test's names and subnets.
        var fleet = "name: \(name)\nhosts:\n  kvm1: { uri: \"qemu:///system\" }\n  kvm2: { uri: \"\(second.uri)\" }\nnetworks:\n"
        for (host, octet) in zip(["kvm1", "kvm2"], octets) {
            fleet += "  - { name: \(network), host: \(host), model: isolated, subnet: 10.123.\(octet).0/24 }\n"
        }
        fleet += "vms:\n"
        for host in ["kvm1", "kvm2"] {
            fleet += "  - { name: \(name), host: \(host), memory: 32, start: false, set: { virtType: qemu }, nics: [{ network: \(network) }] }\n"
        }
        let file = directory.appendingPathComponent("fleet.yaml")
        try fleet.write(to: file, atomically: true, encoding: .utf8)

        func play() throws -> CommandResult {
            try Command.run(
                ["\(venv)/bin/ansible-playbook", "-i", directory.appendingPathComponent("inventory.ini").path,
                 directory.appendingPathComponent("playbook.yml").path,
                 "-e", "fleet_file=\(file.path)", "-e", "second_host_name=\(second.namespace)",
                 "-e", "second_host_script=\(SecondHost.script)"],
                environment: ["ANSIBLE_CONFIG": directory.appendingPathComponent("ansible.cfg").path, "ANSIBLE_FORCE_COLOR": "0"])
        }
        let first = try play()
        #expect(first.status == 0, "\(first)")
        #expect(Self.changed(first.stdout) == ["kvm1": 1, "kvm2": 1], "\(first.stdout)")
        for uri in ["qemu:///system", second.uri] {
            #expect(try Command.output(["virsh", "-q", "-c", uri, "net-list", "--all", "--name"]).contains(network), "\(uri)")
            #expect(try Command.output(["virsh", "-q", "-c", uri, "list", "--all", "--name"]).contains(name), "\(uri)")
        }
        // kvm2's part was made by vnetctl on kvm2: its network is in that host's libvirt alone.
        let here = try Command.output(["virsh", "-q", "-c", "qemu:///system", "net-dumpxml", network])
        #expect(here.contains("10.123.\(octets[0]).1") && !here.contains("10.123.\(octets[1]).1"))
        let againRun = try play()
        #expect(againRun.status == 0, "\(againRun)")
        #expect(Self.changed(againRun.stdout) == ["kvm1": 0, "kvm2": 0], "\(againRun.stdout)")
    }
}
