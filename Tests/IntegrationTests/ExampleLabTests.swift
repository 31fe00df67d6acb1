import Foundation
import Testing
import TestSupport

/// `examples/lab.yaml` as shipped applies from nothing, virsh shows all of it, a second apply
/// changes nothing, and teardown leaves nothing behind.
///
/// The example uses fixed names (lab-*) and subnets (10.123.210-212.0/24) and makes a host bridge
/// lab-br0 itself (`create_bridge: true`), so it runs alone (`VNETCTL_SOLO_TESTS=1`, after the other tests in scripts/test.sh).
@Suite(
    .onTestThreads,
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["VNETCTL_SOLO_TESTS"] == "1", "fixed names and subnets; run alone")
)
struct ExampleLabTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/lab.yaml").path
    static let networks = ["lab-nat", "lab-routed", "lab-iso", "lab-lan"]
    static let vms = ["lab-web1", "lab-web2", "lab-db", "lab-edge"]

    @Test func appliesFromNothingTwiceAndTearsDown() throws {
        let existing = try Virsh.networkNames()
        try #require(existing.isDisjoint(with: Self.networks), "the example's networks already exist: \(existing)")
        try #require(!FileManager.default.fileExists(atPath: "/sys/class/net/lab-br0"), "lab-br0 already exists")
        defer {
            _ = try? VNetCtlBinary.run(["-c", "qemu:///system", "teardown", "-f", Self.file])
            _ = try? VNetCtlBinary.run(["-c", "qemu:///system", "host-bridge", "delete", "lab-br0"])
        }
        let first = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", Self.file])
        #expect(first.status == 0, "\(first)")
        #expect(FileManager.default.fileExists(atPath: "/sys/class/net/lab-br0/bridge"), "apply made no bridge lab-br0")
        #expect(try Virsh.networkNames(all: false).isSuperset(of: Self.networks))
        let domains = Set(try Command.output(["virsh", "-c", "qemu:///system", "list", "--all", "--name"]).split(separator: "\n").map(String.init))
        #expect(domains.isSuperset(of: Self.vms))
        let nat = try Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", "lab-nat"])
        #expect(nat.contains("ip='10.123.210.11'") && nat.contains("ip='10.123.210.12'") && nat.contains("name='printer'"), "\(nat)")

        let second = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", Self.file])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(second)")

        let teardown = try VNetCtlBinary.run(["-c", "qemu:///system", "teardown", "-f", Self.file])
        #expect(teardown.status == 0, "\(teardown)")
        #expect(try Virsh.networkNames().isDisjoint(with: Self.networks))
        let left = Set(try Command.output(["virsh", "-c", "qemu:///system", "list", "--all", "--name"]).split(separator: "\n").map(String.init))
        #expect(left.isDisjoint(with: Self.vms))
        for bridge in ["vn-lab-nat", "vn-lab-routed", "vn-lab-iso"] {
            #expect(!FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)"), "bridge \(bridge) left behind")
        }
    }
}
