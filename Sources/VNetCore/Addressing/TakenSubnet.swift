/// An IPv4 network already in use on the host, with who uses it.
public struct TakenSubnet: Sendable, Hashable, Codable, CustomStringConvertible {
    public var cidr: IPv4CIDR
    /// Who holds the subnet, as a user would name it: "libvirt network 'lab-nat'",
    /// "host route 10.0.0.0/8 via eth0", "address of eth0".
    public var owner: String

    public init(_ cidr: IPv4CIDR, owner: String) {
        self.cidr = cidr
        self.owner = owner
    }

    public var description: String {
        "\(owner) (\(cidr))"
    }
}
