import CLibNL
import Glibc

/// VXLAN links and their forwarding entries, through rtnetlink in the calling thread's namespace.
extension HostNetwork {
    /// The VXLAN link named `name`; `nil` if there is no link of that name, and an error if there is
    /// one that is not a VXLAN link.
    public static func vxlan(named name: String) throws -> HostVXLAN? {
        let found: HostVXLAN?? = try NetlinkSocket().withLink(named: name) { HostVXLAN(rtnlLink: $0) }
        guard let found else { return nil }
        guard let vxlan = found else { throw HostNetError(message: "\(name) exists and is not a VXLAN link with an IPv4 local address") }
        return vxlan
    }

    /// Creates a VXLAN link (`NLM_F_EXCL`: fails if the name is taken), down, with this MTU and
    /// interface alias (`ip link set … alias`) when they are set.
    public static func createVXLAN(_ vxlan: HostVXLAN, mtu: Int? = nil, alias: String? = nil) throws {
        let operation = "cannot create VXLAN link \(vxlan.name)"
        let socket = try NetlinkSocket()
        guard let link = rtnl_link_vxlan_alloc() else { throw HostNetError(operation, libnlCode: -NLE_NOMEM) }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, vxlan.name)
        if let mtu { rtnl_link_set_mtu(link, UInt32(mtu)) }
        try NetlinkChange.check(operation, rtnl_link_vxlan_set_id(link, UInt32(vxlan.vni)))
        try NetlinkChange.check(operation, rtnl_link_vxlan_set_port(link, UInt32(vxlan.port)))
        try NetlinkChange.check(operation, rtnl_link_vxlan_set_learning(link, vxlan.learning ? 1 : 0))
        let local = try NetlinkChange.parse(vxlan.local, family: AF_INET, what: "local address")
        defer { nl_addr_put(local) }
        try NetlinkChange.check(operation, rtnl_link_vxlan_set_local(link, local))
        try NetlinkChange.check(operation, rtnl_link_add(socket.handle, link, NLM_F_CREATE | NLM_F_EXCL))
        // libnl leaves the alias out of a request to add a link, so it is set by a change.
        if let alias { try setAlias(vxlan.name, alias) }
    }

    /// Sets a link's interface alias (`ip link set NAME alias TEXT`).
    public static func setAlias(_ name: String, _ alias: String) throws {
        try NetlinkChange.modify(name, "cannot set the alias of \(name)") { rtnl_link_set_ifalias($0, alias) }
    }

    /// The peers of a VXLAN link: the destinations of its all-zeros forwarding entries
    /// (`bridge fdb append 00:00:00:00:00:00 dev VX dst PEER`), in kernel order.
    public static func vxlanPeers(of name: String) throws -> [String] {
        let socket = try NetlinkSocket()
        let index = try NetlinkChange.index(of: name, socket)
        var peers: [String] = []
        try socket.bridgeNeighbourCache().forEach { object in
            guard Int(rtnl_neigh_get_ifindex(object)) == index,
                  rtnl_neigh_get_flags(object) & UInt32(NTF_SELF) != 0,
                  let lladdr = rtnl_neigh_get_lladdr(object), NetlinkAddress.macText(lladdr) == zeroMAC,
                  let destination = rtnl_neigh_get_dst(object), nl_addr_get_len(destination) == 4,
                  let peer = NetlinkAddress.ipText(destination, family: .ipv4) else { return }
            if !peers.contains(peer) { peers.append(peer) }
        }
        return peers
    }

    /// Adds a peer to a VXLAN link: broadcast, unknown unicast and multicast frames are sent to it too.
    public static func addVXLANPeer(_ peer: String, to name: String) throws {
        try withPeerEntry(peer, on: name, "cannot add VXLAN peer \(peer) to \(name)") { socket, neighbour in
            rtnl_neigh_add(socket.handle, neighbour, NLM_F_CREATE | NLM_F_APPEND)
        }
    }

    /// Removes a peer from a VXLAN link.
    public static func deleteVXLANPeer(_ peer: String, from name: String) throws {
        try withPeerEntry(peer, on: name, "cannot delete VXLAN peer \(peer) from \(name)") { socket, neighbour in
            rtnl_neigh_delete(socket.handle, neighbour, 0)
        }
    }

    /// The VXLAN links whose interface alias is `alias`, by name.
    public static func vxlanLinks(withAlias alias: String) throws -> [String] {
        var names: [String] = []
        try NetlinkSocket().linkCache().forEach { link in
            guard rtnl_link_is_vxlan(link) != 0, let text = rtnl_link_get_ifalias(link), String(cString: text) == alias,
                  let name = rtnl_link_get_name(link) else { return }
            names.append(String(cString: name))
        }
        return names
    }

    static let zeroMAC = "00:00:00:00:00:00"

    private static func withPeerEntry(
        _ peer: String, on name: String, _ operation: String, _ body: (NetlinkSocket, OpaquePointer) -> Int32
    ) throws {
        let socket = try NetlinkSocket()
        let index = try NetlinkChange.index(of: name, socket)
        guard let neighbour = rtnl_neigh_alloc() else { throw HostNetError(operation, libnlCode: -NLE_NOMEM) }
        defer { rtnl_neigh_put(neighbour) }
        let lladdr = try NetlinkChange.parse(zeroMAC, family: AF_LLC, what: "MAC address")
        defer { nl_addr_put(lladdr) }
        let destination = try NetlinkChange.parse(peer, family: AF_INET, what: "peer address")
        defer { nl_addr_put(destination) }
        // The destination first: libnl refuses one whose family differs from a family already set,
        // and the entry's family is the bridge's while its destination is an IPv4 address.
        try NetlinkChange.check(operation, rtnl_neigh_set_dst(neighbour, destination))
        rtnl_neigh_set_family(neighbour, AF_BRIDGE)
        rtnl_neigh_set_ifindex(neighbour, Int32(index))
        rtnl_neigh_set_lladdr(neighbour, lladdr)
        rtnl_neigh_set_flags(neighbour, UInt32(NTF_SELF))
        rtnl_neigh_set_state(neighbour, Int32(NUD_PERMANENT))
        try NetlinkChange.check(operation, body(socket, neighbour))
    }
}
