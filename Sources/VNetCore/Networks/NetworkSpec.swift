/// What a user asks for when defining a network: the options of `vnetctl define network`.
///
/// Values are typed but not yet checked against each other or the host; `NetworkPlanner` does that.
public struct NetworkSpec: Sendable, Equatable {
    /// How the network's IPv4 subnet is chosen.
    public enum Subnet: Sendable, Equatable {
        /// The first free /24 of the pool that overlaps no libvirt network, host address or route.
        case auto(pool: IPv4CIDR = SubnetPlanner.defaultPool)
        case explicit(IPv4CIDR)
    }

    public var name: String
    public var model: NetworkModel
    /// nil: `auto` for models with addresses, none for bridged.
    public var subnet: Subnet?
    public var ipv6: IPv6CIDR?
    /// The bridge libvirt creates (isolated, routed, nat, open) or the existing host bridge (bridged).
    public var bridge: String?
    /// The forward device (routed, nat) or the macvtap uplink (bridged).
    public var uplink: String?
    public var dhcpRange: IPv4Range?
    public var dhcp: Bool
    /// False for an isolated network with no host address (guests reach only each other).
    public var hostIP: Bool
    public var reservations: [DHCPReservation]
    /// The DNS domain dnsmasq serves for the network's guests.
    public var domain: String?
    public var mtu: Int?
    /// A user's own template file; nil uses the shipped template of the model.
    public var templatePath: String?
    /// `--set KEY=VALUE` values, merged into the template's values (dotted keys reach nested ones).
    public var settings: [String: String]
    /// The topology file that owns the network, recorded in its metadata so `apply --prune` finds it.
    public var topology: String?
    /// Port forwards into a nat network, as given (guests by VM name or address).
    public var forwards: [PortForward] = []
    /// Addresses of VMs that a topology file reserves on this network, by VM name: forwards may
    /// name them before their reservations exist.
    public var forwardVMs: [String: IPv4Address] = [:]

    public init(
        name: String, model: NetworkModel, subnet: Subnet? = nil, ipv6: IPv6CIDR? = nil,
        bridge: String? = nil, uplink: String? = nil, dhcpRange: IPv4Range? = nil, dhcp: Bool = true,
        hostIP: Bool = true, reservations: [DHCPReservation] = [], domain: String? = nil,
        mtu: Int? = nil, templatePath: String? = nil, settings: [String: String] = [:], forwards: [PortForward] = []
    ) {
        self.forwards = forwards
        self.name = name
        self.model = model
        self.subnet = subnet
        self.ipv6 = ipv6
        self.bridge = bridge
        self.uplink = uplink
        self.dhcpRange = dhcpRange
        self.dhcp = dhcp
        self.hostIP = hostIP
        self.reservations = reservations
        self.domain = domain
        self.mtu = mtu
        self.templatePath = templatePath
        self.settings = settings
    }
}
