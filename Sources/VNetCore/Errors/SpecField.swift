/// A field of a network or VM spec that a problem concerns, by its neutral name ("mtu", "dhcp range").
///
/// The library words a problem with this name; each front end names the field its own way (the
/// command line by its flag, a topology file by its key, Ansible by its argument) through a
/// `SpecFieldNames` table.
public struct SpecField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The neutral name, as the library's own messages word it.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A network's MTU.
    public static let mtu = SpecField(rawValue: "mtu")
    /// A network's IPv4 subnet (a CIDR or `auto`).
    public static let subnet = SpecField(rawValue: "subnet")
    /// The pool an `auto` subnet is drawn from.
    public static let subnetPool = SpecField(rawValue: "subnet pool")
    /// A network's IPv6 subnet.
    public static let ipv6 = SpecField(rawValue: "ipv6")
    /// A network's dynamic DHCP range.
    public static let dhcpRange = SpecField(rawValue: "dhcp range")
    /// One fixed DHCP reservation (MAC, IP, hostname) of a network.
    public static let dhcpHost = SpecField(rawValue: "dhcp host")
    /// DHCP turned off for a network.
    public static let noDHCP = SpecField(rawValue: "no dhcp")
    /// A network without the host's address on its bridge.
    public static let noHostIP = SpecField(rawValue: "no host ip")
    /// A network's DNS domain.
    public static let domain = SpecField(rawValue: "domain")
    /// A network's bridge: its own, or the existing host bridge of the bridged model.
    public static let bridge = SpecField(rawValue: "bridge")
    /// A network's uplink device (routed, nat, or macvtap for bridged).
    public static let uplink = SpecField(rawValue: "uplink")
    /// The request that vnetctl create a bridged network's host bridge.
    public static let createBridge = SpecField(rawValue: "create bridge")
    /// A VM's memory size.
    public static let memory = SpecField(rawValue: "memory")
    /// A VM's virtual CPU count.
    public static let vcpus = SpecField(rawValue: "vcpus")
    /// A VM's NICs.
    public static let nic = SpecField(rawValue: "nic")
    /// The value that varies a VM's derived MACs.
    public static let macSeed = SpecField(rawValue: "mac seed")
    /// A template's own key, set by the user.
    public static let setting = SpecField(rawValue: "setting")
}

/// How one front end names spec fields: the command line by flag, a topology file by key.
///
/// A field the table leaves out keeps its neutral name.
public struct SpecFieldNames: Sendable {
    /// The front end's name of each field, as it leads a message ("--mtu", "dhcp.range").
    public var names: [SpecField: String]
    /// What the user adds to ask for a suggested field ("--create-bridge", "create_bridge: true").
    public var requests: [SpecField: String]

    public init(names: [SpecField: String], requests: [SpecField: String] = [:]) {
        self.names = names
        self.requests = requests
    }

    /// The front end's name of `field`.
    public func name(_ field: SpecField) -> String { names[field] ?? field.rawValue }

    /// What the user adds to ask for `field`.
    public func request(_ field: SpecField) -> String { requests[field] ?? name(field) }
}
