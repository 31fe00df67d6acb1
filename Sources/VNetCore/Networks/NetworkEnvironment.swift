import HostNet
import Libvirt

/// What already exists that a new network must not collide with: libvirt's networks and the
/// host's links, addresses and routes.
///
/// Read once per command; the planner works on this snapshot, which keeps planning a pure function.
public struct NetworkEnvironment: Sendable {
    /// One existing libvirt network, reduced to what can collide.
    public struct ExistingNetwork: Sendable, Equatable {
        public var name: String
        public var bridge: String?
        public var subnets: [IPv4CIDR]
        public var ipv6Subnets: [IPv6CIDR]
        /// True for a network that `apply` plans to create earlier in the same file: it does not
        /// exist yet, but later networks must not collide with it either.
        public var isPlanned: Bool
        /// Port forwards in its saved or running config, which another network's must not clash with.
        public var forwards: [PortForward]

        public init(
            name: String, bridge: String?, subnets: [IPv4CIDR], ipv6Subnets: [IPv6CIDR] = [], isPlanned: Bool = false,
            forwards: [PortForward] = []
        ) {
            self.forwards = forwards
            self.name = name
            self.bridge = bridge
            self.subnets = subnets
            self.ipv6Subnets = ipv6Subnets
            self.isPlanned = isPlanned
        }

        /// How messages name it: "libvirt network 'lab'", or "network 'lab' earlier in the file".
        public var label: String { isPlanned ? "network '\(name)' earlier in the file" : "libvirt network '\(name)'" }
    }

    public var networks: [ExistingNetwork]
    public var links: [HostLink]
    public var addresses: [HostAddress]
    public var routes: [HostRoute]
    /// The host facts that cannot be seen (a remote host's addresses and routes): subnets are not
    /// checked against them, and libvirt itself refuses a collision when the network starts.
    public var unseen: [String] = []

    public init(networks: [ExistingNetwork], links: [HostLink], addresses: [HostAddress], routes: [HostRoute]) {
        self.networks = networks
        self.links = links
        self.addresses = addresses
        self.routes = routes
    }

    /// Reads every network on `connection` (active or not) and the facts of its host.
    public static func read(from connection: Connection) throws(VNetError) -> NetworkEnvironment {
        NetworkEnvironment(try Inventory.read(connection, [.networks, .host]))
    }

    /// The networks of `inventory` (what runs now and what the saved config will use at the next
    /// start both count) and its host's links, addresses and routes.
    public init(_ inventory: Inventory) {
        networks = inventory.networks.map { entry in
            let ips = entry.configs.flatMap(\.ips)
            func subnets<CIDR: IPNetwork & Comparable>(_ family: NetworkConfig.IPFamily, _ parse: (String) throws -> CIDR) -> [CIDR] {
                Array(Set(ips.filter { $0.family == family }.compactMap { try? parse($0.cidrText) })).sorted()
            }
            return ExistingNetwork(
                name: entry.name, bridge: entry.current.bridge?.name,
                subnets: subnets(.ipv4, IPv4CIDR.enclosing), ipv6Subnets: subnets(.ipv6, IPv6CIDR.enclosing),
                forwards: Array(Set(entry.configs.flatMap { $0.metadata?.forwards ?? [] })))
        }
        links = inventory.host.links
        addresses = inventory.host.addresses
        routes = inventory.host.routes
        unseen = inventory.host.unseen
    }

    /// Everything an IPv4 subnet may overlap, each with its owner named as a user would.
    public var takenSubnets: [TakenSubnet<IPv4CIDR>] {
        taken(.ipv4, libvirt: \.subnets, enclosing: IPv4CIDR.enclosing)
    }

    /// Everything an IPv6 subnet may overlap. Link-local (fe80::/10) addresses and routes are left
    /// out: every link has them, and no network is planned there.
    public var takenIPv6Subnets: [TakenSubnet<IPv6CIDR>] {
        taken(.ipv6, libvirt: \.ipv6Subnets, enclosing: IPv6CIDR.enclosing).filter { !$0.cidr.isLinkLocal }
    }

    /// libvirt's subnets of one family, the host's addresses and its main-table routes but the default.
    private func taken<CIDR: IPNetwork>(
        _ family: HostAddress.Family, libvirt: (ExistingNetwork) -> [CIDR],
        enclosing: (String) throws(AddressError) -> CIDR
    ) -> [TakenSubnet<CIDR>] {
        let fromLibvirt = networks.flatMap { network in
            libvirt(network).map { TakenSubnet($0, owner: network.label) }
        }
        let host = addresses.filter { $0.family == family }.compactMap { address in
            (try? enclosing("\(address.address)/\(address.prefixLength)"))
                .map { TakenSubnet($0, owner: "address \(address.address)/\(address.prefixLength) of \(address.linkName)") }
        }
        let mainTable = 254
        let routed = routes.filter { $0.family == family && $0.table == mainTable && !$0.isDefault }.compactMap { route in
            (try? enclosing("\(route.destination)/\(route.prefixLength)")).map { cidr in
                TakenSubnet(cidr, owner: "host route \(cidr)" + (route.linkName.map { " on \($0)" } ?? ""))
            }
        }
        return fromLibvirt + host + routed
    }

    /// The host link named `name`, if any.
    public func link(named name: String) -> HostLink? {
        links.first { $0.name == name }
    }
}

extension IPv4CIDR {
    /// The network of `ADDRESS/PREFIX` text whose address may be a host address, as on an interface.
    static func enclosing(_ text: String) throws(AddressError) -> IPv4CIDR {
        let (address, prefix) = try addressAndPrefix(text)
        return try IPv4CIDR(containing: IPv4Address(address), prefix: prefix)
    }
}

extension IPv6CIDR {
    /// The network of `ADDRESS/PREFIX` text whose address may be a host address, as on an interface.
    static func enclosing(_ text: String) throws(AddressError) -> IPv6CIDR {
        let (address, prefix) = try addressAndPrefix(text)
        return try IPv6CIDR(containing: IPv6Address(address), prefix: prefix)
    }

    /// True for fe80::/10, the link-local addresses every IPv6 link has.
    var isLinkLocal: Bool { network.high >> 54 == 0x3fa }
}

/// Splits `ADDRESS/PREFIX`.
private func addressAndPrefix(_ text: String) throws(AddressError) -> (String, Int) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let prefix = Int(parts[1]) else {
        throw AddressError("'\(text)' is not ADDRESS/PREFIX")
    }
    return (String(parts[0]), prefix)
}
