/// Converges and removes the links of overlay networks on this host, through netlink.
///
/// Each call reads what exists and changes only what differs, so it may be run again after being
/// interrupted at any point.
public enum HostOverlay {
    /// The steps that bring this host to `links`, from what the kernel has now; empty when it is there.
    public static func plan(_ links: HostOverlayLinks) throws -> [HostOverlayStep] {
        try plan(links, hostLinks: try HostNetwork.links(), vxlans: try HostNetwork.vxlanLinks())
    }

    /// The steps that bring a host with `hostLinks` and `vxlans` to `links`; empty when it is there.
    /// Reads nothing.
    ///
    /// A bridge that vnetctl does not own and that is missing (the gateway's network is not running)
    /// leaves the VXLAN link made but unplugged; the network hook plugs it when libvirt starts it.
    public static func plan(_ links: HostOverlayLinks, hostLinks all: [HostLink], vxlans: [HostVXLANLink]) throws -> [HostOverlayStep] {
        var steps: [HostOverlayStep] = []
        var bridge = all.first { $0.name == links.bridge }
        if let found = bridge, found.kind != .bridge {
            throw HostNetError(message: "\(links.bridge) exists and is not a bridge; rename the overlay's bridge or delete that link")
        }
        if bridge == nil, links.ownsBridge {
            steps.append(.createBridge(links.bridge, mtu: links.mtu))
            bridge = HostLink(index: 0, name: links.bridge, kind: .bridge, mtu: links.mtu, isUp: false)
        }
        var vxlanLink = all.first { $0.name == links.vxlan.name }
        let existing = vxlans.first { $0.name == links.vxlan.name }
        if vxlanLink != nil {
            guard let existing else {
                throw HostNetError(message: "\(links.vxlan.name) exists and is not a VXLAN link with an IPv4 local address")
            }
            if existing.vxlan != links.vxlan {
                steps.append(.deleteLink(links.vxlan.name))
                vxlanLink = nil
            }
        }
        let peers: [String]
        if let vxlanLink, let existing {
            peers = existing.peers
            if vxlanLink.mtu != links.mtu { steps.append(.setMTU(links.vxlan.name, links.mtu)) }
            if existing.alias != alias(bridge: links.bridge) { steps.append(.setAlias(links.vxlan.name, bridge: links.bridge)) }
        } else {
            steps.append(.createVXLAN(links.vxlan, mtu: links.mtu, bridge: links.bridge))
            peers = []
        }
        if let bridge {
            if links.ownsBridge, bridge.index != 0, bridge.mtu != links.mtu { steps.append(.setMTU(links.bridge, links.mtu)) }
            // A bridge still to be made has index 0, which no link's master is.
            if vxlanLink?.masterIndex != bridge.index || bridge.index == 0 {
                steps.append(.enslave(links.vxlan.name, bridge: links.bridge))
            }
        }
        if !(vxlanLink?.isUp ?? false) { steps.append(.setUp(links.vxlan.name)) }
        if links.ownsBridge, !(bridge?.isUp ?? false) { steps.append(.setUp(links.bridge)) }
        steps += peers.filter { !links.peers.contains($0) }.map { .deletePeer($0, vxlan: links.vxlan.name) }
        steps += links.peers.filter { !peers.contains($0) }.map { .addPeer($0, vxlan: links.vxlan.name) }
        return steps
    }

    /// The steps that take an overlay's links away: its VXLAN link, and its bridge when vnetctl owns it.
    public static func planRemoval(bridge: String, ownsBridge: Bool, vxlan: String) throws -> [HostOverlayStep] {
        try planRemoval(bridge: bridge, ownsBridge: ownsBridge, vxlan: vxlan, hostLinks: try HostNetwork.links())
    }

    /// The removal steps on a host with `hostLinks`. Reads nothing.
    public static func planRemoval(bridge: String, ownsBridge: Bool, vxlan: String, hostLinks: [HostLink]) throws -> [HostOverlayStep] {
        var steps: [HostOverlayStep] = []
        if let link = hostLinks.first(where: { $0.name == vxlan }) {
            guard link.kernelKind == "vxlan" else { throw HostNetError(message: "\(vxlan) is not a VXLAN link; vnetctl leaves it alone") }
            steps.append(.deleteLink(vxlan))
        }
        if ownsBridge, let link = hostLinks.first(where: { $0.name == bridge }) {
            guard link.kind == .bridge else { throw HostNetError(message: "\(bridge) is not a bridge; vnetctl leaves it alone") }
            steps.append(.deleteLink(bridge))
        }
        return steps
    }

    /// The removal of the links a pruned overlay network left on a host with `hostLinks` and `vxlans`:
    /// the VXLAN links whose alias names `bridge` and, when `bridged` (the part vnetctl made the bridge
    /// for), the bridge. Empty when no VXLAN link names it. Reads nothing.
    public static func planPortRemoval(
        bridge: String, bridged: Bool, hostLinks: [HostLink], vxlans: [HostVXLANLink]
    ) -> [HostOverlayStep] {
        let ports = vxlans.filter { $0.alias == alias(bridge: bridge) }.map(\.name)
        guard !ports.isEmpty else { return [] }
        let ownBridge = bridged && hostLinks.first { $0.name == bridge }?.kind == .bridge
        return ports.map { .deleteLink($0) } + (ownBridge ? [.deleteLink(bridge)] : [])
    }

    /// Runs the steps in order, stopping at the first that fails with what failed and how far it got.
    public static func execute(_ steps: [HostOverlayStep]) throws {
        for (done, step) in steps.enumerated() {
            do {
                try step.perform()
            } catch {
                throw HostNetError(message: "\(step) failed: \(error) (after \(done) of \(steps.count) steps; run it again to converge)")
            }
        }
    }

    /// The interface alias of the VXLAN link that belongs in `bridge`: what the libvirt network hook
    /// reads to plug it into the bridge libvirt makes anew at each start of the gateway's network.
    public static func alias(bridge: String) -> String { "vnetctl overlay port of \(bridge)" }

    /// Plugs the VXLAN links that belong in `bridge` into it and sets them up; returns their names.
    public static func plugPorts(into bridge: String) throws -> [String] {
        let ports = try HostNetwork.vxlanLinks(withAlias: alias(bridge: bridge))
        for port in ports {
            try HostNetwork.enslave(port, to: bridge)
            try HostNetwork.setLink(port, up: true)
        }
        return ports
    }

    /// The MTU of the link that holds `address`, the underlay an overlay's frames leave through;
    /// `nil` if no link of this host has it.
    public static func underlayMTU(address: String) throws -> Int? {
        underlayMTU(address: address, hostLinks: try HostNetwork.links(), addresses: try HostNetwork.addresses())
    }

    /// The same on a host with `hostLinks` and `addresses`. Reads nothing.
    public static func underlayMTU(address: String, hostLinks: [HostLink], addresses: [HostAddress]) -> Int? {
        guard let holder = addresses.first(where: { $0.address == address }) else { return nil }
        return hostLinks.first { $0.index == holder.linkIndex }?.mtu
    }
}
