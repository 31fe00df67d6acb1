/// What one host needs for its part of an overlay network: a bridge with a VXLAN port whose peers
/// are the other hosts, both at an MTU that leaves room for the VXLAN header.
public struct HostOverlayLinks: Sendable, Hashable, Codable {
    public var bridge: String
    /// Whether vnetctl makes the bridge (`false` where libvirt makes it: the gateway's network).
    public var ownsBridge: Bool
    public var vxlan: HostVXLAN
    public var mtu: Int
    /// The other hosts' underlay addresses.
    public var peers: [String]

    public init(bridge: String, ownsBridge: Bool, vxlan: HostVXLAN, mtu: Int, peers: [String]) {
        self.bridge = bridge
        self.ownsBridge = ownsBridge
        self.vxlan = vxlan
        self.mtu = mtu
        self.peers = peers
    }
}

/// One change to the host that brings an overlay's links to what ``HostOverlayLinks`` asks for.
public enum HostOverlayStep: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Creates the bridge, down, with STP off and forward delay 0.
    case createBridge(String, mtu: Int)
    /// Creates the VXLAN link, down, with an alias that names the bridge it belongs in.
    case createVXLAN(HostVXLAN, mtu: Int, bridge: String)
    /// Deletes a link (a VXLAN link whose settings differ, or a bridge or VXLAN link on removal).
    case deleteLink(String)
    case setMTU(String, Int)
    /// Sets a VXLAN link's alias to the one that names the bridge it belongs in.
    case setAlias(String, bridge: String)
    case enslave(String, bridge: String)
    case setUp(String)
    case addPeer(String, vxlan: String)
    case deletePeer(String, vxlan: String)

    /// The step in words, like `ip` and `bridge` would say it.
    public var description: String {
        switch self {
        case .createBridge(let name, let mtu): "ip link add \(name) mtu \(mtu) type bridge stp_state 0 forward_delay 0"
        case .createVXLAN(let vxlan, let mtu, _):
            "ip link add \(vxlan.name) mtu \(mtu) type vxlan id \(vxlan.vni) local \(vxlan.local) dstport \(vxlan.port) nolearning"
        case .deleteLink(let name): "ip link del \(name)"
        case .setMTU(let name, let mtu): "ip link set \(name) mtu \(mtu)"
        case .setAlias(let name, let bridge): "ip link set \(name) alias '\(HostOverlay.alias(bridge: bridge))'"
        case .enslave(let port, let bridge): "ip link set \(port) master \(bridge)"
        case .setUp(let name): "ip link set \(name) up"
        case .addPeer(let peer, let vxlan): "bridge fdb append 00:00:00:00:00:00 dev \(vxlan) dst \(peer)"
        case .deletePeer(let peer, let vxlan): "bridge fdb del 00:00:00:00:00:00 dev \(vxlan) dst \(peer)"
        }
    }

    func perform() throws {
        switch self {
        case .createBridge(let name, let mtu):
            try HostNetwork.createBridge(named: name, mtu: mtu)
            try HostNetwork.setBridgeSTP(name, on: false)
            try HostNetwork.setBridgeForwardDelay(name, seconds: 0)
        case .createVXLAN(let vxlan, let mtu, let bridge):
            try HostNetwork.createVXLAN(vxlan, mtu: mtu, alias: HostOverlay.alias(bridge: bridge))
        case .deleteLink(let name): try HostNetwork.deleteLink(named: name)
        case .setMTU(let name, let mtu): try HostNetwork.setMTU(name, mtu)
        case .setAlias(let name, let bridge): try HostNetwork.setAlias(name, HostOverlay.alias(bridge: bridge))
        case .enslave(let port, let bridge): try HostNetwork.enslave(port, to: bridge)
        case .setUp(let name): try HostNetwork.setLink(name, up: true)
        case .addPeer(let peer, let vxlan): try HostNetwork.addVXLANPeer(peer, to: vxlan)
        case .deletePeer(let peer, let vxlan): try HostNetwork.deleteVXLANPeer(peer, from: vxlan)
        }
    }
}

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
        if try HostNetwork.link(named: vxlan) != nil { steps.append(.deleteLink(vxlan)) }
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
