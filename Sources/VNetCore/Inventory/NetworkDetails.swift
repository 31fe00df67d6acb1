import Foundation
import HostNet
import Libvirt

/// Everything `vnetctl show network` tells about one network: its summary, every fact of its
/// config, DHCP (both families), leases, the VMs on it and, for a routed network, the route the
/// upstream router needs.
public struct NetworkDetails: Sendable, Codable, Equatable {
    /// A fixed DHCP host from the network's XML: IPv4 by MAC, IPv6 by MAC, DUID (`id`) or name.
    public struct Reservation: Sendable, Codable, Equatable {
        public var family: NetworkConfig.IPFamily
        public var mac: String?
        public var id: String?
        public var ip: String?
        public var hostname: String?

        /// `MAC-or-ID IP [HOSTNAME]`, the way `show network` prints it.
        public var text: String {
            [mac ?? id.map { "id \($0)" } ?? "-", ip ?? "-", hostname].compactMap { $0 }.joined(separator: " ")
        }
    }

    /// A current DHCP lease, as dnsmasq handed it out.
    public struct Lease: Sendable, Codable, Equatable {
        public var mac: String
        public var address: String
        public var hostname: String?
        public var expiry: Date

        public init(_ lease: DHCPLease) {
            mac = lease.mac
            address = "\(lease.address)/\(lease.prefix)"
            hostname = lease.hostname
            expiry = lease.expiry
        }
    }

    /// A VM with a NIC on the network.
    public struct AttachedVM: Sendable, Codable, Equatable {
        public var name: String
        public var state: String
        public var macs: [String]
    }

    public var summary: NetworkSummary
    /// vnetctl's metadata: the template the network was rendered from, when vnetctl defined it.
    public var template: String?
    /// The first IPv4 DHCP range.
    public var dhcpRange: NetworkConfig.DHCPRange?
    /// Every DHCP range of every family.
    public var dhcpRanges: [NetworkConfig.DHCPRange]
    public var reservations: [Reservation]
    public var leases: [Lease]
    public var vms: [AttachedVM]
    /// For a routed network: the route the upstream router needs to reach the guests.
    public var upstreamRoute: String?
    /// Every fact of the network's current config, as libvirt holds it.
    public var config: NetworkConfig

    /// The details of `entry` from `inventory`, with `leases` fetched by the caller (they exist
    /// only while the network runs, and not on every driver).
    public init(_ entry: Inventory.NetworkEntry, in inventory: Inventory, leases: [DHCPLease]) {
        let config = entry.current
        self.config = config
        summary = NetworkSummary(entry)
        template = config.metadata?.template
        dhcpRange = config.ips(.ipv4).flatMap(\.dhcpRanges).first
        dhcpRanges = config.ips.flatMap(\.dhcpRanges)
        reservations = config.ips.flatMap { ip in
            ip.dhcpHosts.map { Reservation(family: ip.family, mac: $0.mac, id: $0.id, ip: $0.ip, hostname: $0.name) }
        }
        self.leases = leases.map(Lease.init)
        let bridge = config.bridge?.name
        vms = inventory.domains.compactMap { domain -> AttachedVM? in
            let macs = domain.current.nics.filter { nic in
                nic.source.network == entry.name || (nic.kind == "bridge" && bridge != nil && nic.source.bridge == bridge)
            }.compactMap(\.mac)
            return macs.isEmpty ? nil : AttachedVM(name: domain.name, state: domain.state.description, macs: macs)
        }
        upstreamRoute = config.model == .routed
            ? Self.upstreamRoute(subnets: summary.addresses, uplink: config.forward?.uplink, host: inventory.host) : nil
    }

    /// `ip route add SUBNET via HOSTADDRESS`, with the host's address on the uplink (or on the
    /// interface of its default route when the network names no uplink).
    static func upstreamRoute(subnets: [String], uplink: String?, host: HostFacts) -> String? {
        guard let subnet = subnets.first(where: { !$0.contains(":") }),
            let cidr = try? IPv4CIDR.enclosing(subnet)
        else { return nil }
        let device = uplink ?? host.routes.first { $0.family == .ipv4 && $0.isDefault }?.linkName
        let address = host.addresses.first { $0.family == .ipv4 && $0.linkName == device }?.address
        return "ip route add \(cidr) via \(address ?? "<this host's address>")"
    }
}
