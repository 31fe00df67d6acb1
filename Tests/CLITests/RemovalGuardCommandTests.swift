import Foundation
import Testing
import TestSupport

/// The removing commands' guard rails on libvirt's test driver, whose fresh state per connection has
/// the network `default` with the running domain `test` on it, neither made by vnetctl.
@Suite(.onTestThreads) struct RemovalGuardCommandTests {
    static let topology: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-guard-\(UUID().uuidString).yaml").path
        let text = """
            networks:
              - { name: default, model: nat, subnet: 192.168.122.0/24 }
            vms:
              - { name: test, nics: [{ network: default }] }

            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    struct Case: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stdout: String = ""
        var stderr: String = ""
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["undefine", "network", "default"], status: 2,
             stderr: "vnetctl: network 'default' is in use by running VM(s) test, which would lose their link; "
                + "stop them first, or add --force to undefine it anyway\n"),
        Case(arguments: ["stop", "network", "default"], status: 2,
             stderr: "vnetctl: network 'default' is in use by running VM(s) test, which would lose their link; "
                + "stop them first, or add --force to stop it anyway\n"),
        Case(arguments: ["undefine", "vm", "test"], status: 2,
             stderr: "vnetctl: vm 'test' is running; stop it first ('vnetctl stop vm test'), or add --force to power it off "
                + "and undefine it\n"),
        Case(arguments: ["undefine", "network", "default", "--force"], status: 0, stdout: "undefined network default\n"),
        Case(arguments: ["stop", "network", "default", "--force"], status: 0, stdout: "network default stopped\n"),
        Case(arguments: ["undefine", "vm", "test", "--force"], status: 0, stdout: "undefined vm test\n"),
        Case(arguments: ["teardown", "-f", topology], status: 0, stdout: """
            vm test: left alone (not made by vnetctl; force removes it)
            network default: left alone (not made by vnetctl; in use by running VM(s) test; force removes it)
            0 changed (2 left alone)

            """),
        Case(arguments: ["teardown", "-f", topology, "--check", "--force"], status: 0, stdout: """
            vm test: removed (not made by vnetctl; removed by force)
            network default: removed (not made by vnetctl; removed by force)
            2 would change (2 removed)

            """),
    ]

    @Test(arguments: cases)
    func guardOrForce(_ testCase: Case) throws {
        let result = try VNetCtlBinary.run(["-c", "test:///default"] + testCase.arguments)
        #expect(result.status == testCase.status, "\(result)")
        #expect(result.stdout == testCase.stdout)
        #expect(result.stderr == testCase.stderr)
    }
}
