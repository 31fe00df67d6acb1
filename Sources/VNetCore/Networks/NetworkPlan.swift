/// A network spec checked against the host and libvirt, with every default filled in:
/// exactly what the template renders.
public struct NetworkPlan: Sendable, Equatable {
    public var name: String
    public var model: NetworkModel
    /// The bridge libvirt creates for the network; nil for the bridged model.
    public var bridge: String?
    /// The existing host bridge of a bridged network.
    public var hostBridge: String?
    /// The forward device (routed, nat) or the macvtap uplink (bridged).
    public var uplink: String?
    /// The IPv4 subnet with the host's address on it; nil for bridged and for `--no-host-ip`.
    public var ipv4: IPv4Plan?
    public var ipv6: IPv6Plan?
    public var domain: String?
    public var mtu: Int?
    /// The host facts the plan could not be checked against: on a remote host, its addresses and routes.
    public var unchecked: [String] = []
    /// Port forwards, every guest resolved to its address (nat only).
    public var forwards: [PortForward] = []

    /// The IPv4 side of a network: subnet, host address and DHCP (when enabled).
    public struct IPv4Plan: Sendable, Equatable {
        public var subnet: IPv4CIDR
        public var gateway: IPv4Address
        /// nil with `--no-dhcp`.
        public var dhcp: DHCPPlan?
    }

    /// The IPv6 side of a dual-stack network: subnet and the host's address on it.
    public struct IPv6Plan: Sendable, Equatable {
        public var subnet: IPv6CIDR
        public var gateway: IPv6Address
    }
}
