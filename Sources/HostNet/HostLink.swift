import CLibNL

/// One of the host's network interfaces, as the kernel reports it.
public struct HostLink: Sendable, Equatable, Hashable, Codable {
    public var index: Int
    public var name: String
    public var kind: Kind
    /// The kernel's link kind (`"bridge"`, `"vxlan"`, …); `nil` for devices created by a driver
    /// rather than by `ip link add`, such as physical NICs and `lo`.
    public var kernelKind: String?
    /// The Ethernet address in lowercase colon form; `nil` for links without one (`lo`, `tun`).
    public var mac: String?
    public var mtu: Int
    /// Whether the link is administratively up (`IFF_UP`); says nothing about carrier.
    public var isUp: Bool
    /// The index of the bridge or bond this link is enslaved to.
    public var masterIndex: Int?

    public init(
        index: Int, name: String, kind: Kind, kernelKind: String? = nil, mac: String? = nil, mtu: Int,
        isUp: Bool, masterIndex: Int? = nil
    ) {
        self.index = index
        self.name = name
        self.kind = kind
        self.kernelKind = kernelKind
        self.mac = mac
        self.mtu = mtu
        self.isUp = isUp
        self.masterIndex = masterIndex
    }
}

extension HostLink {
    /// Reads a borrowed `rtnl_link`.
    init(rtnlLink link: OpaquePointer) {
        let name = rtnl_link_get_name(link).map { String(cString: $0) } ?? ""
        let kernelKind = rtnl_link_get_type(link).map { String(cString: $0) }
        let arpType = Int32(bitPattern: rtnl_link_get_arptype(link))
        let master = Int(rtnl_link_get_master(link))
        self.init(
            index: Int(rtnl_link_get_ifindex(link)),
            name: name,
            kind: Kind(kernelKind: kernelKind, arpType: arpType, name: name),
            kernelKind: kernelKind,
            mac: arpType == ARPHRD_ETHER ? rtnl_link_get_addr(link).flatMap(NetlinkAddress.macText) : nil,
            mtu: Int(rtnl_link_get_mtu(link)),
            isUp: rtnl_link_get_flags(link) & UInt32(IFF_UP.rawValue) != 0,
            masterIndex: master > 0 ? master : nil)
    }
}
