import CLibNL

/// A VXLAN link as overlay planning needs it: its settings, its interface alias (which names the
/// bridge vnetctl made it for) and its peers, the destinations of its all-zeros forwarding entries.
public struct HostVXLANLink: Sendable, Equatable, Hashable, Codable {
    public var vxlan: HostVXLAN
    public var alias: String?
    /// In kernel order, each once.
    public var peers: [String]

    public init(vxlan: HostVXLAN, alias: String? = nil, peers: [String] = []) {
        self.vxlan = vxlan
        self.alias = alias
        self.peers = peers
    }

    public var name: String { vxlan.name }
}

extension HostNetwork {
    /// Every VXLAN link of the host with its alias and peers, from one read of the links and one of
    /// the bridge forwarding entries.
    public static func vxlanLinks() throws -> [HostVXLANLink] {
        let socket = try NetlinkSocket()
        var found: [(index: Int, link: HostVXLANLink)] = []
        try socket.linkCache().forEach { link in
            guard let vxlan = HostVXLAN(rtnlLink: link) else { return }
            let alias = rtnl_link_get_ifalias(link).map { String(cString: $0) }
            found.append((Int(rtnl_link_get_ifindex(link)), HostVXLANLink(vxlan: vxlan, alias: alias)))
        }
        guard !found.isEmpty else { return [] }
        try socket.bridgeNeighbourCache().forEach { object in
            let index = Int(rtnl_neigh_get_ifindex(object))
            guard let position = found.firstIndex(where: { $0.index == index }),
                  rtnl_neigh_get_flags(object) & UInt32(NTF_SELF) != 0,
                  let lladdr = rtnl_neigh_get_lladdr(object), NetlinkAddress.macText(lladdr) == zeroMAC,
                  let destination = rtnl_neigh_get_dst(object), nl_addr_get_len(destination) == 4,
                  let peer = NetlinkAddress.ipText(destination, family: .ipv4) else { return }
            if !found[position].link.peers.contains(peer) { found[position].link.peers.append(peer) }
        }
        return found.map(\.link)
    }
}
