import HostNet
import Libvirt

/// What `vnetctl graph` draws, as the notes on the four models draw a KVM host: its uplinks and
/// host bridges, each libvirt network with its bridge and subnet, each VM's NICs with their front
/// half (MAC, address) and back half (tap) on a bridge, the way out to the uplink and the port forwards.
///
/// Built purely from an `Inventory` (or from a topology file's plan); `HostGraph` turns it into DOT.
public struct HostPicture: Sendable, Equatable {
    /// One libvirt network.
    public struct Network: Sendable, Equatable {
        public var name: String
        /// vnetctl's model name (isolated, routed, nat, bridged, open), else libvirt's forward mode.
        public var model: String
        /// The bridge its taps join: the one libvirt makes, or the existing host bridge of a bridged network.
        public var bridge: String?
        /// `ADDRESS/PREFIX` of each host address on the bridge (the guests' gateway).
        public var addresses: [String]
        /// The DHCP ranges, as `FIRST-LAST`.
        public var dhcpRanges: [String]
        /// The links traffic leaves by: the forward device or macvtap interfaces, else (nat, routed)
        /// the links of the host's default routes; empty for an isolated network.
        public var uplinks: [String]
        /// True for a bridged network over macvtap (no bridge: the NICs sit on the uplink itself).
        public var macvtap: Bool
        public var forwards: [PortForward]
        public var active: Bool
        /// True when the network exists only in a topology file's plan.
        public var planned: Bool
    }

    /// One NIC of a VM: its front half (MAC, address) and where its back half is.
    public struct NIC: Sendable, Equatable {
        /// libvirt's interface type (network, bridge, direct, user, …).
        public var kind: String
        public var mac: String?
        /// The address its network reserves for its MAC, or the one it holds a lease for.
        public var address: String?
        /// The tap (or macvtap) device, while the VM runs.
        public var tap: String?
        public var network: String?
        /// The bridge the tap joins (a `bridge` NIC's source, or a network NIC's network bridge).
        public var bridge: String?
        /// A `direct` NIC's uplink.
        public var dev: String?
    }

    /// One libvirt domain.
    public struct VM: Sendable, Equatable {
        public var name: String
        /// libvirt's state name (running, shut off, …), or `planned`.
        public var state: String
        public var running: Bool
        public var nics: [NIC]
    }

    /// A host bridge vnetctl's networks or VMs use, or one that holds a physical uplink.
    public struct HostBridge: Sendable, Equatable {
        public var name: String
        /// The links enslaved to it that are not taps.
        public var ports: [String]
        public var addresses: [String]
    }

    /// One of the host's uplinks: a physical link, or a link a default route or a network leaves by.
    public struct Uplink: Sendable, Equatable {
        public var name: String
        public var addresses: [String]
        /// True when a default route leaves by it.
        public var defaultRoute: Bool
    }

    public var uplinks: [Uplink]
    public var bridges: [HostBridge]
    public var networks: [Network]
    public var vms: [VM]

    public init(uplinks: [Uplink] = [], bridges: [HostBridge] = [], networks: [Network] = [], vms: [VM] = []) {
        self.uplinks = uplinks
        self.bridges = bridges
        self.networks = networks
        self.vms = vms
    }

    /// The picture of everything `inventory` holds; `leases` (of the running networks) add the
    /// addresses of NICs that have no reservation.
    public init(_ inventory: Inventory, leases: [DHCPLease] = []) {
        let networks = inventory.networks.map { Self.network($0.current, active: $0.active, host: inventory.host) }
        let vms = inventory.domains.map { entry in
            Self.vm(entry.name, state: entry.state.description, running: entry.active, nics: entry.current.nics,
                    networks: inventory.networks.map(\.current), leases: leases)
        }
        self = Self.completed(networks: networks, vms: vms, host: inventory.host)
    }

    /// A network as the picture shows it, from its config.
    static func network(_ config: NetworkConfig, active: Bool, planned: Bool = false, host: HostFacts) -> Network {
        let forward = config.forward
        let mode = forward?.mode
        var uplinks = ([forward?.dev].compactMap { $0 } + (forward?.interfaces ?? [])).reduce(into: [String]()) { names, name in
            if !names.contains(name) { names.append(name) }
        }
        if uplinks.isEmpty, mode == "nat" || mode == "route" {
            uplinks = defaultRouteLinks(host)
        }
        let macvtap = mode == "bridge" && config.bridge?.name == nil
        return Network(
            name: config.name, model: config.modelName, bridge: config.bridge?.name,
            addresses: config.ips.map(\.cidrText), dhcpRanges: config.ips.flatMap(\.dhcpRanges).map(\.description),
            uplinks: uplinks, macvtap: macvtap, forwards: config.metadata?.forwards ?? [], active: active, planned: planned)
    }

    /// A VM as the picture shows it, each NIC with the address its network reserves or leases for its MAC.
    static func vm(_ name: String, state: String, running: Bool, nics: [DomainNIC], networks: [NetworkConfig],
                   leases: [DHCPLease]) -> VM {
        let shown = nics.filter { !$0.isTeamingPartner(in: nics) }.map { nic -> NIC in
            let network = nic.source.network.flatMap { name in networks.first { $0.name == name } }
            let reserved = nic.mac.flatMap { mac in network?.dhcpHosts.first { $0.mac == mac }?.ip }
            let leased = nic.mac.flatMap { mac in leases.first { $0.mac.lowercased() == mac }?.address }
            return NIC(
                kind: nic.kind, mac: nic.mac, address: nic.reservedIP ?? reserved ?? nic.leasedIP ?? leased ?? nic.userNet, tap: nic.tap,
                network: nic.source.network, bridge: nic.source.bridge ?? network?.bridge?.name,
                dev: nic.kind == "direct" ? nic.source.dev : nil)
        }
        return VM(name: name, state: state, running: running, nics: shown)
    }

    /// The picture of `networks` and `vms` with the host's uplinks and bridges they touch.
    static func completed(networks: [Network], vms: [VM], host: HostFacts) -> HostPicture {
        let links = host.links
        func addresses(_ link: HostLink) -> [String] {
            host.addresses.filter { $0.linkIndex == link.index && $0.family == .ipv4 }.map { "\($0.address)/\($0.prefixLength)" }
        }
        let networkBridges = Set(networks.filter { $0.model != "bridged" }.compactMap(\.bridge))
        let usedBridges = Set(networks.filter { $0.model == "bridged" }.compactMap(\.bridge)
            + vms.flatMap(\.nics).filter { $0.kind == "bridge" }.compactMap(\.bridge)).subtracting(networkBridges)
        let physical: Set<HostLink.Kind> = [.ethernet, .wireless, .bond]
        let hostBridges = links.filter { link in
            link.kind == .bridge && !networkBridges.contains(link.name)
                && (usedBridges.contains(link.name)
                    || links.contains { $0.masterIndex == link.index && physical.contains($0.kind) })
        }
        let bridges = hostBridges.map { bridge in
            HostBridge(
                name: bridge.name,
                ports: links.filter { $0.masterIndex == bridge.index && $0.kind != .tun }.map(\.name),
                addresses: addresses(bridge))
        } + usedBridges.subtracting(hostBridges.map(\.name)).sorted().map { HostBridge(name: $0, ports: [], addresses: []) }

        let defaults = Set(defaultRouteLinks(host))
        var uplinkNames = links.filter { link in
            physical.contains(link.kind) || defaults.contains(link.name)
        }.map(\.name)
        for name in networks.flatMap(\.uplinks) + bridges.flatMap(\.ports) + vms.flatMap(\.nics).compactMap(\.dev)
        where !uplinkNames.contains(name) {
            uplinkNames.append(name)
        }
        let byName = Dictionary(links.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let uplinks = uplinkNames.map { name in
            Uplink(name: name, addresses: byName[name].map(addresses) ?? [], defaultRoute: defaults.contains(name))
        }
        return HostPicture(uplinks: uplinks, bridges: bridges, networks: networks, vms: vms)
    }

    /// The links the host's default routes leave by, in route order.
    static func defaultRouteLinks(_ host: HostFacts) -> [String] {
        host.routes.filter { $0.isDefault && $0.table == 254 }.compactMap { route in
            route.linkName ?? route.linkIndex.flatMap { index in host.links.first { $0.index == index }?.name }
        }.reduce(into: [String]()) { names, name in
            if !names.contains(name) { names.append(name) }
        }
    }
}
