import HostNet

/// A network that spans hosts (`model: overlay`): one layer-2 segment carried between the hosts by
/// kernel VXLAN, with one host (`gateway`) serving its DHCP and DNS and, with `nat`, its way out.
public struct OverlaySpec: Sendable, Equatable {
    /// The VXLAN network identifier, the same on every host.
    public var vni: Int
    /// The VXLAN UDP port, the same on every host.
    public var port: Int
    /// The names of the file's hosts it spans, in the file's order.
    public var hosts: [String]
    public var gateway: String
    /// Whether the gateway's network is a nat network rather than an isolated one.
    public var nat: Bool

    public init(vni: Int, port: Int = HostVXLAN.defaultPort, hosts: [String], gateway: String, nat: Bool = false) {
        self.vni = vni
        self.port = port
        self.hosts = hosts
        self.gateway = gateway
        self.nat = nat
    }

    /// The bridge every spanned host gives the overlay, unless the file names one (`bridge:`).
    public var defaultBridge: String { "vxb\(vni)" }
    /// The VXLAN link every spanned host gives the overlay.
    public var vxlanName: String { "vxl\(vni)" }
}
