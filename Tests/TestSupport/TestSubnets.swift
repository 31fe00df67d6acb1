import Foundation
import Synchronization

/// Hands out /24 subnets inside 10.123.0.0/16 that no host address, host route, firewall rule or
/// libvirt network on `qemu:///system` uses, never the same one twice in a test process.
public enum TestSubnets {
    private static let handedOut = Mutex<Set<Int>>([])

    /// The third octet of a free 10.123.X.0/24, chosen at random from 100-249 so that parallel test
    /// processes rarely race for one.
    public static func freeThirdOctet() throws -> Int {
        let host = try Command.output(["ip", "-4", "-o", "addr"]) + Command.output(["ip", "-4", "route"])
        let libvirt = try Command.output(["virsh", "-q", "-c", "qemu:///system", "net-list", "--all", "--name"])
            .split(separator: "\n").map { name in
                (try? Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", String(name)])) ?? ""
            }.joined()
        // Rules count too: a libvirtd killed mid-start (LibvirtdRestartTests, or a crash) leaves its
        // network's rules behind, and a network on that subnet would inherit them.
        let firewall = (try? Command.output(["iptables-save"])) ?? ""
        let used = host + libvirt + firewall
        return try handedOut.withLock { taken in
            for octet in (100...249).shuffled() where !taken.contains(octet) && !used.contains("10.123.\(octet).") {
                taken.insert(octet)
                return octet
            }
            throw NoFreeSubnet()
        }
    }

    struct NoFreeSubnet: Error, CustomStringConvertible {
        var description: String { "no free 10.123.X.0/24 left for tests (100-249 all in use)" }
    }
}
