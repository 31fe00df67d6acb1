import CLibNL

/// An IP address assigned to one of the host's links.
public struct HostAddress: Sendable, Equatable, Hashable, Codable {
    public var linkIndex: Int
    public var linkName: String
    public var family: Family
    /// The local address in canonical text form (`inet_ntop`), without the prefix.
    public var address: String
    public var prefixLength: Int

    public init(linkIndex: Int, linkName: String, family: Family, address: String, prefixLength: Int) {
        self.linkIndex = linkIndex
        self.linkName = linkName
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
    }
}

extension HostAddress {
    /// Reads a borrowed `rtnl_addr`; `nil` for a non-IP address or one whose link is not in `linkNames`.
    init?(rtnlAddress: OpaquePointer, linkNames: [Int: String]) {
        guard let family = Family(addressFamily: rtnl_addr_get_family(rtnlAddress)),
              let local = rtnl_addr_get_local(rtnlAddress),
              let address = NetlinkAddress.ipText(local, family: family)
        else { return nil }
        let index = Int(rtnl_addr_get_ifindex(rtnlAddress))
        guard let linkName = linkNames[index] else { return nil }
        self.init(
            linkIndex: index, linkName: linkName, family: family, address: address,
            prefixLength: Int(rtnl_addr_get_prefixlen(rtnlAddress)))
    }
}
