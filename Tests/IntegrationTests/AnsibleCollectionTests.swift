import Foundation
import Testing
import TestSupport

/// The Ansible collection as users install it: `ansible/vnetctl/libvirt` with the vnetctl binary as
/// its `topology` module, built with `ansible-galaxy collection build`, installed with `install`,
/// documented by `ansible-doc` (from the module's sidecar YAML), and run by its FQCN against
/// `qemu:///system` — check mode and the real run agreeing for `present` and `absent`.
@Suite(.onTestThreads, .serialized)
struct AnsibleCollectionTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ansible/vnetctl/libvirt")

    @Test func collectionBuildsInstallsIsDocumentedAndRunsByItsFQCN() throws {
        let venv = try AnsibleVenv.ensure()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-collection-\(UUID().uuidString)")
        let network = TestNames.unique("coll")
        defer {
            Virsh.destroyAndUndefine(network)
            try? FileManager.default.removeItem(at: directory)
        }
        let staged = directory.appendingPathComponent("src")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.source, to: staged)
        try FileManager.default.copyItem(
            atPath: VNetCtlBinary.path, toPath: staged.appendingPathComponent("plugins/modules/topology").path)

        let build = try Command.run(["\(venv)/bin/ansible-galaxy", "collection", "build", staged.path, "--output-path", directory.path])
        #expect(build.status == 0, "\(build)")
        let archive = directory.appendingPathComponent("vnetctl-libvirt-0.1.0.tar.gz").path
        let collections = directory.appendingPathComponent("collections").path
        let install = try Command.run(["\(venv)/bin/ansible-galaxy", "collection", "install", archive, "-p", collections])
        #expect(install.status == 0, "\(install)")
        let environment = [
            "ANSIBLE_COLLECTIONS_PATH": collections, "ANSIBLE_LOCAL_TEMP": "\(directory.path)/tmp",
            "ANSIBLE_REMOTE_TEMP": "\(directory.path)/tmp", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0", "ANSIBLE_PYTHON_INTERPRETER": "\(venv)/bin/python3",
        ]

        let doc = try Command.run(["\(venv)/bin/ansible-doc", "vnetctl.libvirt.topology"], environment: environment)
        #expect(doc.status == 0, "\(doc)")
        for part in ["vnetctl.libvirt.topology", "allow_restart", "choices: [present, absent]", "EXAMPLES", "RETURN VALUES"] {
            #expect(doc.stdout.contains(part), "ansible-doc lacks '\(part)':\n\(doc.stdout)")
        }

        let octet = try TestSubnets.freeThirdOctet()
        func play(_ state: String, check: Bool) throws -> (changed: Int?, result: CommandResult) {
            let playbook = """
                - hosts: localhost
                  connection: local
                  gather_facts: false
                  tasks:
                    - vnetctl.libvirt.topology:
                        uri: qemu:///system
                        state: \(state)
                        topology:
                          networks:
                            - { name: \(network), model: isolated, subnet: 10.123.\(octet).0/24 }

                """
            let file = directory.appendingPathComponent("playbook.yml")
            try playbook.write(to: file, atomically: true, encoding: .utf8)
            let result = try Command.run(
                ["\(venv)/bin/ansible-playbook", file.path] + (check ? ["--check"] : []), environment: environment)
            #expect(result.status == 0, "\(result)")
            return (AnsiblePlay.recap(result.stdout)["changed"], result)
        }

        let checkPresent = try play("present", check: true)
        #expect(checkPresent.changed == 1, "\(checkPresent.result)")
        #expect(!(try Virsh.networkNames()).contains(network), "check mode defined the network")
        let present = try play("present", check: false)
        #expect(present.changed == 1, "\(present.result)")
        #expect(try Virsh.isActive(network))
        let again = try play("present", check: false)
        #expect(again.changed == 0, "\(again.result)")
        let checkAgain = try play("present", check: true)
        #expect(checkAgain.changed == 0, "\(checkAgain.result)")

        let checkAbsent = try play("absent", check: true)
        #expect(try Virsh.networkNames().contains(network), "check mode removed the network")
        let absent = try play("absent", check: false)
        #expect(absent.changed == 1, "\(absent.result)")
        #expect(!(try Virsh.networkNames()).contains(network))
        #expect(checkAbsent.changed == absent.changed, "\(checkAbsent.result)")
    }
}
