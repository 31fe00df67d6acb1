import CLibNL
import Glibc

/// One entry of a bridge's or device's forwarding database (`bridge fdb show`): a MAC address the
/// kernel knows on a link, learned from traffic or set up permanently.
public struct HostFDBEntry: Sendable, Equatable, Hashable, Codable {
    /// The MAC address in lowercase colon form.
    public var mac: String
    /// The link the entry is on: a bridge port, or a device with its own address list.
    public var linkIndex: Int
    /// The bridge whose port `linkIndex` is, for an entry of a bridge's database.
    public var masterIndex: Int?
    /// True for entries the kernel did not learn from traffic (a port's own address, static entries).
    public var permanent: Bool

    public init(mac: String, linkIndex: Int, masterIndex: Int? = nil, permanent: Bool = false) {
        self.mac = mac
        self.linkIndex = linkIndex
        self.masterIndex = masterIndex
        self.permanent = permanent
    }
}

extension HostFDBEntry {
    /// Reads a borrowed `rtnl_neigh` of family `AF_BRIDGE`; nil for one without a 6-byte address.
    init?(rtnlNeigh neigh: OpaquePointer) {
        guard rtnl_neigh_get_family(neigh) == AF_BRIDGE,
            let address = rtnl_neigh_get_lladdr(neigh).flatMap(NetlinkAddress.macText)
        else { return nil }
        let master = Int(rtnl_neigh_get_master(neigh))
        self.init(
            mac: address, linkIndex: Int(rtnl_neigh_get_ifindex(neigh)), masterIndex: master > 0 ? master : nil,
            permanent: rtnl_neigh_get_state(neigh) & Int32(NUD_PERMANENT | NUD_NOARP) != 0)
    }
}
