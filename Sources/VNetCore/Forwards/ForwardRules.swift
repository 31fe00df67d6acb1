import LibXML

/// The firewall rules of a nat network's port forwards, in vnetctl's own iptables chains.
///
/// Four chains, each entered by one jump at the top of a built-in chain, ahead of libvirt's:
/// nat `VNETCTL_PRE` (PREROUTING: DNAT of connections from outside and from guests), nat
/// `VNETCTL_OUT` (OUTPUT: DNAT of the host's own connections to its non-loopback addresses), nat
/// `VNETCTL_POST` (POSTROUTING: masquerade of a guest reaching a forward into its own network, so
/// the reply comes back the way it went), and filter `VNETCTL_FWD` (FORWARD: ACCEPT of exactly the
/// DNATed new connections to the guest's port on the network's bridge, which libvirt's
/// `LIBVIRT_FWI` would reject). Each rule carries the comment `vnetctl:NETWORK`, so one network's
/// rules are removed without touching another's; once no rule is left, the chains and jumps go too.
public struct ForwardRules: Sendable, Equatable {
    /// One of vnetctl's chains and the built-in chain that jumps to it.
    struct Chain: Sendable, Equatable {
        var table: String
        var name: String
        var parent: String
    }

    static let prerouting = Chain(table: "nat", name: "VNETCTL_PRE", parent: "PREROUTING")
    static let output = Chain(table: "nat", name: "VNETCTL_OUT", parent: "OUTPUT")
    static let postrouting = Chain(table: "nat", name: "VNETCTL_POST", parent: "POSTROUTING")
    static let forward = Chain(table: "filter", name: "VNETCTL_FWD", parent: "FORWARD")
    static let chains = [prerouting, output, postrouting, forward]

    /// Serializes every change to vnetctl's chains between vnetctl processes and libvirt's hook.
    /// Never held while calling libvirt: the hook runs inside libvirtd's network start.
    public static let lockPath = "/run/vnetctl/firewall.lock"

    public var network: String
    public var bridge: String
    public var subnet: IPv4CIDR
    public var forwards: [PortForward]

    public init(network: String, bridge: String, subnet: IPv4CIDR, forwards: [PortForward]) {
        self.network = network
        self.bridge = bridge
        self.subnet = subnet
        self.forwards = forwards
    }

    /// The rules of a network document (live XML, or the `<network>` libvirt gives its hook); nil
    /// for a network without forwards, a bridge or an IPv4 subnet.
    public init?(document: XMLDocument) throws(VNetError) {
        let forwards = try ForwardMetadata.forwards(in: document)
        let facts: (String?, String?, String?, String?)
        do {
            facts = (try document.string("/network/name"), try document.string("/network/bridge/@name"),
                     try document.string("/network/ip[not(@family) or @family='ipv4']/@address"),
                     try document.string("/network/ip[not(@family) or @family='ipv4']/@prefix"))
        } catch {
            throw VNetError.from(error)
        }
        guard !forwards.isEmpty, let name = facts.0, let bridge = facts.1, let address = facts.2, let prefix = facts.3,
            let subnet = try? IPv4CIDR.enclosing("\(address)/\(prefix)")
        else { return nil }
        self.init(network: name, bridge: bridge, subnet: subnet, forwards: forwards)
    }

    /// The comment every rule of `network` carries.
    static func comment(_ network: String) -> String { "vnetctl:\(network)" }

    /// Each rule as `(chain, iptables arguments after -A CHAIN)`.
    var rules: [(Chain, [String])] {
        let tag = ["-m", "comment", "--comment", Self.comment(network)]
        return forwards.compactMap { forward -> [(Chain, [String])]? in
            guard let guest = forward.guest else { return nil }
            let proto = forward.proto.rawValue
            let match = ["-p", proto, "-m", proto]
            let hostMatch = forward.address.map { ["-d", "\($0)/32"] } ?? ["-m", "addrtype", "--dst-type", "LOCAL"]
            let offset = forward.hostPorts.count > 1 ? "/\(forward.hostPorts.first)" : ""
            let dnat = ["-j", "DNAT", "--to-destination", "\(guest):\(forward.guestPorts.description)\(offset)"]
            let guestMatch = ["-d", "\(guest)/32", "-o", bridge] + match + ["--dport", forward.guestPorts.iptables]
            let viaDNAT = ["-m", "conntrack", "--ctstate", "DNAT"]
            return [
                (Self.prerouting, hostMatch + match + ["--dport", forward.hostPorts.iptables] + tag + dnat),
                (Self.output, (forward.address == nil ? ["!", "-d", "127.0.0.0/8"] : []) + hostMatch + match
                    + ["--dport", forward.hostPorts.iptables] + tag + dnat),
                (Self.postrouting, ["-s", subnet.description] + guestMatch + viaDNAT + tag + ["-j", "MASQUERADE"]),
                (Self.forward, guestMatch + ["-m", "conntrack", "--ctstate", "NEW"] + viaDNAT + tag + ["-j", "ACCEPT"]),
            ]
        }.flatMap { $0 }
    }

    /// Puts exactly these rules in place for the network: its earlier rules go, these come.
    /// `lockWait` says how long it waits for the firewall lock and who hears that it does.
    public func apply(with iptables: IPTables = IPTables(), lockWait: HostLock.Wait = HostLock.Wait()) throws(VNetError) {
        let lock = try HostLock(path: Self.lockPath, timeout: lockWait.timeout, onWait: lockWait.onWait)
        defer { withExtendedLifetime(lock) {} }
        try Self.removeRules(of: network, with: iptables)
        if rules.isEmpty {
            try Self.removeChainsIfEmpty(with: iptables)
            return
        }
        for chain in Self.chains { try Self.ensure(chain, with: iptables) }
        for (chain, arguments) in rules {
            try iptables.run(["-t", chain.table, "-A", chain.name] + arguments)
        }
    }

    /// Removes every rule of `network` (and vnetctl's chains, once they are empty); `lockWait` as for ``apply(with:lockWait:)``.
    public static func remove(
        network: String, with iptables: IPTables = IPTables(), lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) {
        let lock = try HostLock(path: lockPath, timeout: lockWait.timeout, onWait: lockWait.onWait)
        defer { withExtendedLifetime(lock) {} }
        try removeRules(of: network, with: iptables)
        try removeChainsIfEmpty(with: iptables)
    }

    /// The `-A` lines of `chain` as `iptables -S` prints them; nil when the chain does not exist.
    static func listing(_ chain: Chain, with iptables: IPTables) throws(VNetError) -> [String]? {
        let result = try iptables.attempt(["-t", chain.table, "-S", chain.name])
        guard result.status == 0 else { return nil }
        return result.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("-A ") }
    }

    private static func removeRules(of network: String, with iptables: IPTables) throws(VNetError) {
        let tokens: Set<String> = [comment(network), "\"\(comment(network))\""]
        for chain in chains {
            guard let lines = try listing(chain, with: iptables) else { continue }
            let numbers = lines.indices.filter { index in
                lines[index].split(separator: " ").contains { tokens.contains(String($0)) }
            }
            for number in numbers.reversed() {
                try iptables.run(["-t", chain.table, "-D", chain.name, String(number + 1)])
            }
        }
    }

    /// Creates `chain` when missing and makes its jump the first rule of its parent.
    private static func ensure(_ chain: Chain, with iptables: IPTables) throws(VNetError) {
        if try listing(chain, with: iptables) == nil {
            try iptables.run(["-t", chain.table, "-N", chain.name])
        }
        let jump = "-A \(chain.parent) -j \(chain.name)"
        let parent = try listing(Chain(table: chain.table, name: chain.parent, parent: ""), with: iptables) ?? []
        if parent.first == jump { return }
        for _ in parent.filter({ $0 == jump }) {
            try iptables.run(["-t", chain.table, "-D", chain.parent, "-j", chain.name])
        }
        try iptables.run(["-t", chain.table, "-I", chain.parent, "1", "-j", chain.name])
    }

    private static func removeChainsIfEmpty(with iptables: IPTables) throws(VNetError) {
        var existing: [Chain] = []
        for chain in chains {
            guard let lines = try listing(chain, with: iptables) else { continue }
            if !lines.isEmpty { return }
            existing.append(chain)
        }
        for chain in existing {
            while try iptables.attempt(["-t", chain.table, "-D", chain.parent, "-j", chain.name]).status == 0 {}
            try iptables.run(["-t", chain.table, "-X", chain.name])
        }
    }
}
