import CLibNL
import Glibc

/// An address on a link with everything it takes to put it back on a link exactly as it was.
public struct HostAddressSetting: Sendable, Hashable, Codable {
    public var family: HostAddress.Family
    public var address: String
    public var prefixLength: Int
    /// The IPv4 broadcast address, when the address was given one (`ip addr add … brd …`).
    public var broadcast: String?
    /// The kernel's `rt_scope_t` (0 global, 253 link, 254 host).
    public var scope: Int
    /// The `IFA_F_*` flags user space may set (`nodad`, `noprefixroute`, …); the kernel's own
    /// bookkeeping flags (permanent, tentative, secondary) are left out.
    public var flags: UInt32
    /// The IPv4 label, when it is not just the link's name (`eth0:1`); kept as the part after the name.
    public var labelSuffix: String?
    /// Whether the address has a finite lifetime (DHCP, SLAAC) rather than being static.
    public var isDynamic: Bool

    public init(
        family: HostAddress.Family, address: String, prefixLength: Int, broadcast: String? = nil,
        scope: Int = 0, flags: UInt32 = 0, labelSuffix: String? = nil, isDynamic: Bool = false
    ) {
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
        self.broadcast = broadcast
        self.scope = scope
        self.flags = flags
        self.labelSuffix = labelSuffix
        self.isDynamic = isDynamic
    }

    /// `ADDRESS/PREFIX`.
    public var cidr: String { "\(address)/\(prefixLength)" }

    /// Whether this is an IPv6 link-local address, which every IPv6 link makes for itself.
    public var isLinkLocal: Bool { family == .ipv6 && address.lowercased().hasPrefix("fe80:") }

    /// The `IFA_F_*` flags the kernel accepts in a new address: nodad, homeaddress,
    /// managetempaddr, noprefixroute, mcautojoin, optimistic.
    static let settableFlags: UInt32 = 0x02 | 0x10 | 0x04 | 0x100 | 0x200 | 0x400
}

extension HostAddressSetting {
    /// Reads a borrowed `rtnl_addr` of the link named `linkName`; `nil` for a non-IP address.
    init?(rtnlAddress: OpaquePointer, linkName: String) {
        guard let family = HostAddress.Family(addressFamily: rtnl_addr_get_family(rtnlAddress)),
              let local = rtnl_addr_get_local(rtnlAddress),
              let address = NetlinkAddress.ipText(local, family: family)
        else { return nil }
        var suffix: String?
        if family == .ipv4, let label = rtnl_addr_get_label(rtnlAddress).map({ String(cString: $0) }),
           label != linkName, label.hasPrefix(linkName) {
            suffix = String(label.dropFirst(linkName.count))
        }
        self.init(
            family: family, address: address, prefixLength: Int(rtnl_addr_get_prefixlen(rtnlAddress)),
            broadcast: rtnl_addr_get_broadcast(rtnlAddress).flatMap { NetlinkAddress.ipText($0, family: family) },
            scope: Int(rtnl_addr_get_scope(rtnlAddress)),
            flags: UInt32(rtnl_addr_get_flags(rtnlAddress)) & Self.settableFlags,
            labelSuffix: suffix,
            isDynamic: rtnl_addr_get_valid_lifetime(rtnlAddress) != UInt32.max)
    }
}

/// A unicast route through one link, with everything it takes to add it again through another.
public struct HostRouteSetting: Sendable, Hashable, Codable {
    public var family: HostAddress.Family
    /// The destination network; `0.0.0.0` or `::` for a default route.
    public var destination: String
    public var prefixLength: Int
    public var gateway: String?
    public var table: Int
    /// The metric (`RTA_PRIORITY`).
    public var metric: Int
    /// The `RTPROT_*` that added it (3 boot, 4 static, 16 dhcp, …).
    public var origin: Int
    public var scope: Int
    public var preferredSource: String?
    /// The next hop's `onlink` flag: the gateway is on the link even if no address says so.
    public var onlink: Bool

    public init(
        family: HostAddress.Family, destination: String, prefixLength: Int, gateway: String? = nil,
        table: Int = 254, metric: Int = 0, origin: Int = 3, scope: Int = 0, preferredSource: String? = nil,
        onlink: Bool = false
    ) {
        self.family = family
        self.destination = destination
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.table = table
        self.metric = metric
        self.origin = origin
        self.scope = scope
        self.preferredSource = preferredSource
        self.onlink = onlink
    }

    public var isDefault: Bool { prefixLength == 0 }

    /// `default` or `DESTINATION/PREFIX`.
    public var destinationText: String { isDefault ? "default" : "\(destination)/\(prefixLength)" }

    /// The route in `ip route` words, without the device.
    public var summary: String {
        var words = [destinationText]
        if let gateway { words += ["via", gateway] }
        if onlink { words.append("onlink") }
        if metric != 0 { words += ["metric", String(metric)] }
        if table != 254 { words += ["table", String(table)] }
        if let preferredSource { words += ["src", preferredSource] }
        return words.joined(separator: " ")
    }
}

extension HostRouteSetting {
    /// Reads a borrowed `rtnl_route` whose every next hop leaves through link `index`; `nil` for any
    /// other route, a multipath one, or one the kernel made itself (connected subnets, link-local,
    /// router advertisements), which follow the addresses on their own.
    init?(rtnlRoute route: OpaquePointer, linkIndex index: Int) {
        let origin = Int(rtnl_route_get_protocol(route))
        guard rtnl_route_get_type(route) == UInt8(RTN_UNICAST),
              origin != Int(RTPROT_KERNEL), origin != 9 /* RTPROT_RA */,
              rtnl_route_get_nnexthops(route) == 1, let hop = rtnl_route_nexthop_n(route, 0),
              Int(rtnl_route_nh_get_ifindex(hop)) == index,
              let family = HostAddress.Family(addressFamily: Int32(rtnl_route_get_family(route))),
              let destination = rtnl_route_get_dst(route),
              let destinationText = NetlinkAddress.ipText(destination, family: family)
        else { return nil }
        let gateway = rtnl_route_nh_get_gateway(hop).flatMap { address in
            HostAddress.Family(addressFamily: nl_addr_get_family(address)).flatMap { NetlinkAddress.ipText(address, family: $0) }
        }
        self.init(
            family: family, destination: destinationText, prefixLength: Int(nl_addr_get_prefixlen(destination)),
            gateway: gateway, table: Int(rtnl_route_get_table(route)), metric: Int(rtnl_route_get_priority(route)),
            origin: origin, scope: Int(rtnl_route_get_scope(route)),
            preferredSource: rtnl_route_get_pref_src(route).flatMap { NetlinkAddress.ipText($0, family: family) },
            onlink: rtnl_route_nh_get_flags(hop) & UInt32(RTNH_F_ONLINK) != 0)
    }
}
