import CLibNL

/// A unicast route in one of the host's routing tables.
public struct HostRoute: Sendable, Equatable, Hashable, Codable {
    public typealias Family = HostAddress.Family

    public var family: Family
    /// The destination network in canonical text form; `0.0.0.0` or `::` for a default route.
    public var destination: String
    /// The destination's prefix length; 0 for a default route.
    public var prefixLength: Int
    /// The next hop's address, `nil` for a route to a directly connected network. It may be of the
    /// other family (an IPv4 route via an IPv6 next hop).
    public var gateway: String?
    public var linkIndex: Int?
    public var linkName: String?
    /// The routing table's number: 254 is `main`, 255 `local`, 253 `default`.
    public var table: Int

    public init(
        family: Family, destination: String, prefixLength: Int, gateway: String? = nil,
        linkIndex: Int? = nil, linkName: String? = nil, table: Int
    ) {
        self.family = family
        self.destination = destination
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.linkIndex = linkIndex
        self.linkName = linkName
        self.table = table
    }

    /// Whether this is a default route (prefix length 0).
    public var isDefault: Bool { prefixLength == 0 }
}

extension HostRoute {
    /// Reads a borrowed `rtnl_route`, one value per next hop; empty unless it is an IPv4 or IPv6
    /// unicast route.
    ///
    /// A route whose next hop is a nexthop object (`ip route add … nhid N`) has no next hop that
    /// libnl 3.7 can see, and reads as one value without gateway and link.
    static func routes(rtnlRoute route: OpaquePointer, linkNames: [Int: String]) -> [HostRoute] {
        guard rtnl_route_get_type(route) == UInt8(RTN_UNICAST),
              let family = Family(addressFamily: Int32(rtnl_route_get_family(route))),
              let destination = rtnl_route_get_dst(route),
              let destinationText = NetlinkAddress.ipText(destination, family: family)
        else { return [] }
        let base = HostRoute(
            family: family, destination: destinationText,
            prefixLength: Int(nl_addr_get_prefixlen(destination)),
            table: Int(rtnl_route_get_table(route)))
        let hopCount = rtnl_route_get_nnexthops(route)
        guard hopCount > 0 else { return [base] }
        return (0..<hopCount).compactMap { rtnl_route_nexthop_n(route, $0) }.map { hop in
            var path = base
            let gateway = rtnl_route_nh_get_gateway(hop) ?? rtnl_route_nh_get_via(hop)
            path.gateway = gateway.flatMap { address in
                Family(addressFamily: nl_addr_get_family(address)).flatMap { NetlinkAddress.ipText(address, family: $0) }
            }
            let index = Int(rtnl_route_nh_get_ifindex(hop))
            if index > 0 {
                path.linkIndex = index
                path.linkName = linkNames[index]
            }
            return path
        }
    }
}
