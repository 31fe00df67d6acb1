/// Converges and removes the links of overlay networks on this host, through netlink.
///
/// Each call reads what exists and changes only what differs, so it may be run again after being
/// interrupted at any point.
public enum HostOverlay {
    /// The steps that bring this host to `links`, from what the kernel has now; empty when it is there.
    ///
    /// A bridge that vnetctl does not own and that is missing (the gateway's network is not running)
    /// leaves the VXLAN link made but unplugged; the network hook plugs it when libvirt starts it.
    public static func plan(_ links: HostOverlayLinks) throws -> [HostOverlayStep] {
        var steps: [HostOverlayStep] = []
        let all = try HostNetwork.links()
        var bridge = all.first { $0.name == links.bridge }
        if let found = bridge, found.kind != .bridge {
            throw HostNetError(message: "\(links.bridge) exists and is not a bridge; rename the overlay's bridge or delete that link")
        }
        if bridge == nil, links.ownsBridge {
            steps.append(.createBridge(links.bridge, mtu: links.mtu))
            bridge = HostLink(index: 0, name: links.bridge, kind: .bridge, mtu: links.mtu, isUp: false)
        }
        var vxlanLink = all.first { $0.name == links.vxlan.name }
        if vxlanLink != nil, try HostNetwork.vxlan(named: links.vxlan.name) != links.vxlan {
            steps.append(.deleteLink(links.vxlan.name))
            vxlanLink = nil
        }
        let peers: [String]
        if let vxlanLink {
            peers = try HostNetwork.vxlanPeers(of: links.vxlan.name)
            if vxlanLink.mtu != links.mtu { steps.append(.setMTU(links.vxlan.name, links.mtu)) }
            if try !HostNetwork.vxlanLinks(withAlias: alias(bridge: links.bridge)).contains(links.vxlan.name) {
                steps.append(.setAlias(links.vxlan.name, bridge: links.bridge))
            }
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
        var steps: [HostOverlayStep] = []
        if let link = try HostNetwork.link(named: vxlan) {
            guard link.kernelKind == "vxlan" else { throw HostNetError(message: "\(vxlan) is not a VXLAN link; vnetctl leaves it alone") }
            steps.append(.deleteLink(vxlan))
        }
        if ownsBridge, let link = try HostNetwork.link(named: bridge) {
            guard link.kind == .bridge else { throw HostNetError(message: "\(bridge) is not a bridge; vnetctl leaves it alone") }
            steps.append(.deleteLink(bridge))
        }
        return steps
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
        guard let holder = try HostNetwork.addresses().first(where: { $0.address == address }) else { return nil }
        return try HostNetwork.links().first { $0.index == holder.linkIndex }?.mtu
    }
}
