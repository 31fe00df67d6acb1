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
