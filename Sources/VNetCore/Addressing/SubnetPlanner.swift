/// Chooses IPv4 subnets for new networks that collide with nothing already on the host, and
/// checks the IPv4 and IPv6 subnets a user chose.
///
/// Taken entries with prefix 0 (default routes) are ignored: every subnet overlaps them,
/// and a more specific route to a libvirt bridge wins over them anyway.
public enum SubnetPlanner {
    /// The pool `--subnet auto` draws from: 10.200.0.0/16, 256 /24 networks.
    ///
    /// It lies outside the ranges that other tools and common networks claim by default —
    /// libvirt's 192.168.122.0/24, virt-manager's 192.168.100.0/24 onwards, home routers'
    /// 192.168.0-1.0/24, Docker's 172.17.0.0/16 onwards, Podman's 10.88.0.0/16, Kubernetes'
    /// 10.96.0.0/12 and 10.244.0.0/16, QEMU user networking's 10.0.2.0/24, cloud default
    /// VPCs at 10.0.0.0/16 — and outside 10.123.0.0/16, which vnetctl's own tests use.
    public static let defaultPool = try! IPv4CIDR("10.200.0.0/16")

    /// The first subnet of length `prefix` in `pool` that overlaps none of `taken`.
    public static func firstFree(
        in pool: IPv4CIDR = defaultPool, prefix: Int = 24, avoiding taken: [TakenSubnet<IPv4CIDR>]
    ) throws(AddressError) -> IPv4CIDR {
        guard prefix >= pool.prefix, prefix <= 30 else {
            throw AddressError(
                "cannot plan a /\(prefix) subnet in pool \(pool): it must be no larger than the pool "
                    + "and at least a /30, the smallest a libvirt network can use")
        }
        let blockers = conflicts(of: pool, with: taken)
        let size = UInt64(pool.addressCount) >> (prefix - pool.prefix)
        let end = UInt64(pool.broadcast.rawValue) + 1
        var start = UInt64(pool.network.rawValue)
        while start < end {
            let candidate = IPv4CIDR(masking: IPv4Address(rawValue: UInt32(start)), prefix: prefix)
            let overlapping = blockers.filter { $0.cidr.overlaps(candidate) }
            guard let lastBlocked = overlapping.map({ UInt64($0.cidr.broadcast.rawValue) }).max() else {
                return candidate
            }
            start = (lastBlocked / size + 1) * size
        }
        let owners = blockers.prefix(3).map(\.description).joined(separator: ", ")
        let more = blockers.count > 3 ? " and \(blockers.count - 3) more" : ""
        throw AddressError(
            .subnet, "auto finds no free /\(prefix) left in pool \(pool): it is taken by \(owners)\(more); "
                + "remove one of those or give an explicit subnet")
    }

    /// The entries of `taken` that share an address with `cidr`, default routes left out.
    public static func conflicts<CIDR>(of cidr: CIDR, with taken: [TakenSubnet<CIDR>]) -> [TakenSubnet<CIDR>] {
        taken.filter { $0.cidr.prefix > 0 && $0.cidr.overlaps(cidr) }
    }

    /// Refuses a subnet the user chose when it overlaps anything in `taken`; `remedy` ends the message.
    public static func requireFree<CIDR>(
        _ cidr: CIDR, among taken: [TakenSubnet<CIDR>], remedy: String = "choose another or use auto"
    ) throws(AddressError) {
        let conflicts = conflicts(of: cidr, with: taken)
        guard conflicts.isEmpty else {
            throw AddressError(
                .subnet, "\(cidr) overlaps \(conflicts.map(\.description).joined(separator: ", ")); \(remedy)")
        }
    }
}
