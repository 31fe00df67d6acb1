import CLibNL
import Glibc

/// A VXLAN link for unicast head-end replication: no multicast group, learning off, a fixed local
/// address, and peers only through its forwarding entries.
public struct HostVXLAN: Sendable, Equatable, Hashable, Codable {
    /// The well-known VXLAN UDP port (IANA), which `ip link add … type vxlan` does not default to.
    public static let defaultPort = 4789
    /// The valid VXLAN network identifiers (24 bits).
    public static let vniRange = 1...16_777_215
    /// What VXLAN over IPv4 adds to each frame: outer IPv4 (20), UDP (8), VXLAN (8) and inner Ethernet (14).
    public static let overhead = 50

    public var name: String
    public var vni: Int
    public var port: Int
    /// The IPv4 address the link sends from, one of this host's.
    public var local: String
    public var learning: Bool

    public init(name: String, vni: Int, port: Int = HostVXLAN.defaultPort, local: String, learning: Bool = false) {
        self.name = name
        self.vni = vni
        self.port = port
        self.local = local
        self.learning = learning
    }
}

extension HostVXLAN {
    /// Reads a borrowed `rtnl_link`; `nil` if it is not a VXLAN link or has no IPv4 local address.
    init?(rtnlLink link: OpaquePointer) {
        guard rtnl_link_is_vxlan(link) != 0 else { return nil }
        var vni: UInt32 = 0
        var port: UInt32 = 0
        var local: OpaquePointer?
        guard rtnl_link_vxlan_get_id(link, &vni) >= 0, rtnl_link_vxlan_get_port(link, &port) >= 0 else { return nil }
        let address = rtnl_link_vxlan_get_local(link, &local) >= 0 ? local : nil
        defer { if let address { nl_addr_put(address) } }
        self.init(
            name: rtnl_link_get_name(link).map { String(cString: $0) } ?? "",
            vni: Int(vni), port: Int(port),
            local: address.flatMap { NetlinkAddress.ipText($0, family: .ipv4) } ?? "",
            learning: rtnl_link_vxlan_get_learning(link) > 0)
    }
}
