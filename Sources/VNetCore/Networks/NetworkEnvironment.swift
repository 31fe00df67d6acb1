import HostNet
import Libvirt
import LibXML

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

        public init(name: String, bridge: String?, subnets: [IPv4CIDR]) {
            self.name = name
            self.bridge = bridge
            self.subnets = subnets
        }
    }

    public var networks: [ExistingNetwork]
    public var links: [HostLink]
    public var addresses: [HostAddress]
    public var routes: [HostRoute]

    public init(networks: [ExistingNetwork], links: [HostLink], addresses: [HostAddress], routes: [HostRoute]) {
        self.networks = networks
        self.links = links
        self.addresses = addresses
        self.routes = routes
    }

    /// Reads every network on `connection` (active or not) and the host's current state.
    public static func read(from connection: Connection) throws(VNetError) -> NetworkEnvironment {
        do {
            let networks = try ObjectScan.networks(on: connection) { network in
                // What runs now and what the saved config will use at the next start both count.
                var xmls = [try network.xml()]
                if try network.isActive && network.isPersistent { xmls.append(try network.savedConfigXML()) }
                let documents = try xmls.map { try XMLDocument(string: $0, source: "network \(network.name)") }
                let subnets = try documents.flatMap { try $0.elements("/network/ip[not(@family) or @family='ipv4']") }
                    .compactMap(IPElement.text(of:)).compactMap { try? IPv4CIDR.enclosing($0) }
                return ExistingNetwork(
                    name: network.name, bridge: try documents[0].string("/network/bridge/@name"),
                    subnets: Array(Set(subnets)).sorted())
            }
            return NetworkEnvironment(
                networks: networks, links: try HostNetwork.links(), addresses: try HostNetwork.addresses(),
                routes: try HostNetwork.routes())
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Everything an IPv4 subnet may overlap, each with its owner named as a user would.
    public var takenSubnets: [TakenSubnet] {
        let libvirt = networks.flatMap { network in
            network.subnets.map { TakenSubnet($0, owner: "libvirt network '\(network.name)'") }
        }
        let host = addresses.filter { $0.family == .ipv4 }.compactMap { address in
            (try? IPv4CIDR.enclosing("\(address.address)/\(address.prefixLength)"))
                .map { TakenSubnet($0, owner: "address \(address.address)/\(address.prefixLength) of \(address.linkName)") }
        }
        let mainTable = 254
        let routed = routes.filter { $0.family == .ipv4 && $0.table == mainTable && !$0.isDefault }.compactMap { route in
            (try? IPv4CIDR("\(route.destination)/\(route.prefixLength)")).map { cidr in
                TakenSubnet(cidr, owner: "host route \(cidr)" + (route.linkName.map { " on \($0)" } ?? ""))
            }
        }
        return libvirt + host + routed
    }

    /// The host link named `name`, if any.
    public func link(named name: String) -> HostLink? {
        links.first { $0.name == name }
    }
}

extension IPv4CIDR {
    /// The network of `ADDRESS/PREFIX` text whose address may be a host address, as on an interface.
    static func enclosing(_ text: String) throws(AddressError) -> IPv4CIDR {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]) else {
            throw AddressError("'\(text)' is not ADDRESS/PREFIX")
        }
        return try IPv4CIDR(containing: IPv4Address(String(parts[0])), prefix: prefix)
    }
}
