/// An IP network type that subnets can be checked against: ``IPv4CIDR`` or ``IPv6CIDR``.
public protocol IPNetwork: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The prefix length; 0 is the default route, which every subnet overlaps.
    var prefix: Int { get }
    /// True when the two networks share an address.
    func overlaps(_ other: Self) -> Bool
}

extension IPv4CIDR: IPNetwork {}
extension IPv6CIDR: IPNetwork {}

/// An IP network already in use on the host, with who uses it.
public struct TakenSubnet<CIDR: IPNetwork>: Sendable, Hashable, Codable, CustomStringConvertible {
    public var cidr: CIDR
    /// Who holds the subnet, as a user would name it: "libvirt network 'lab-nat'",
    /// "host route 10.0.0.0/8 via eth0", "address of eth0".
    public var owner: String

    public init(_ cidr: CIDR, owner: String) {
        self.cidr = cidr
        self.owner = owner
    }

    public var description: String {
        "\(owner) (\(cidr))"
    }
}
