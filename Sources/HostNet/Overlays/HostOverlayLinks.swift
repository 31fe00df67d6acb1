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
