import Foundation
import Synchronization

/// Hands out /24 subnets inside 10.123.0.0/16 that no host address, host route, firewall rule or
/// libvirt network on `qemu:///system` uses, and none handed out in the last two minutes in this process.
public enum TestSubnets {
    /// When each octet was last handed out in this process.
    private static let handedOut = Mutex<[Int: ContinuousClock.Instant]>([:])

    /// The octets tests draw from: 10.123.0.0/19 and 10.123.64.0/19 are left to `--subnet-pool`
    /// tests, and the octets tests write out themselves (the example lab's, the second hosts'
    /// 10.123.200.0/24, …) are left out too.
    static let pool: [Int] = {
        let written: Set<Int> = [44, 50, 60, 61, 128, 149, 192, 200, 201, 202, 203, 210, 211, 212, 220, 221, 241, 248]
        return (Array(32...63) + Array(96...249)).filter { !written.contains($0) }
    }()

    /// An octet handed out longer ago than this, and no longer seen in use on the host, may be
    /// handed out again: a test has made its network (or given it up) by then.
    static let reuseAfter = Duration.seconds(120)

    /// The third octet of a free 10.123.X.0/24, chosen at random from `pool` so that parallel test
    /// processes rarely race for one; octets never handed out in this process come first.
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
            let now = ContinuousClock.now
            let free = pool.shuffled().filter { !used.contains("10.123.\($0).") }
            let octet = free.first { taken[$0] == nil }
                ?? free.filter { taken[$0].map { now - $0 > reuseAfter } ?? false }.min { taken[$0]! < taken[$1]! }
            guard let octet else { throw NoFreeSubnet() }
            taken[octet] = now
            return octet
        }
    }

    struct NoFreeSubnet: Error, CustomStringConvertible {
        var description: String { "no free 10.123.X.0/24 left for tests (all of the pool in use)" }
    }
}
