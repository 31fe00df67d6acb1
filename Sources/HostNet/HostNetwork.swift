import CLibNL
import Glibc

/// Reads the host's links, addresses and routes through rtnetlink.
///
/// Every call opens its own netlink socket, dumps what it needs and frees it all before returning,
/// so calls may run on any thread at once. A call sees the network namespace of the thread that
/// makes it (`ip netns exec NS vnetctl …` sees NS).
public enum HostNetwork {
    /// Every link, in index order.
    public static func links() throws -> [HostLink] {
        var links: [HostLink] = []
        try NetlinkSocket().linkCache().forEach { links.append(HostLink(rtnlLink: $0)) }
        return links.sorted { $0.index < $1.index }
    }

    /// The link with this name, or `nil` if there is none.
    public static func link(named name: String) throws -> HostLink? {
        try NetlinkSocket().withLink(named: name) { HostLink(rtnlLink: $0) }
    }

    /// Every IPv4 and IPv6 address on every link.
    public static func addresses() throws -> [HostAddress] {
        let socket = try NetlinkSocket()
        // Addresses first: a link removed between the two dumps took its addresses with it,
        // so an address whose link is missing is skipped rather than reported without a name.
        let addressCache = try socket.addressCache()
        let names = try linkNames(socket)
        var addresses: [HostAddress] = []
        addressCache.forEach { object in
            if let address = HostAddress(rtnlAddress: object, linkNames: names) {
                addresses.append(address)
            }
        }
        return addresses
    }

    /// Every IPv4 and IPv6 unicast route in every routing table, one value per next hop.
    ///
    /// Local, broadcast, multicast, blackhole and unreachable routes are left out; the host's own
    /// addresses are in ``addresses()``.
    public static func routes() throws -> [HostRoute] {
        let socket = try NetlinkSocket()
        let routeCache = try socket.routeCache()
        let names = try linkNames(socket)
        var routes: [HostRoute] = []
        routeCache.forEach { routes += HostRoute.routes(rtnlRoute: $0, linkNames: names) }
        return routes
    }

    /// Every entry of every bridge's and device's forwarding database (`bridge fdb show`).
    public static func forwardingDatabase() throws -> [HostFDBEntry] {
        var entries: [HostFDBEntry] = []
        try NetlinkSocket().bridgeNeighbourCache().forEach { object in
            if let entry = HostFDBEntry(rtnlNeigh: object) { entries.append(entry) }
        }
        return entries
    }

    /// The links enslaved to the link named `bridge` (its ports, for a bridge).
    ///
    /// Throws if there is no link of that name, so that a misspelt bridge does not read as an
    /// empty one.
    public static func bridgePorts(of bridge: String) throws -> [HostLink] {
        let all = try links()
        guard let master = all.first(where: { $0.name == bridge }) else {
            throw HostNetError(message: "no network interface named \(bridge)")
        }
        return all.filter { $0.masterIndex == master.index }
    }

    /// Whether the bridge named `bridge` runs the Spanning Tree Protocol (kernel or user space);
    /// `nil` if there is no bridge of that name.
    ///
    /// Read from `/sys/class/net/BRIDGE/bridge/stp_state`, because libnl 3.7 does not parse the
    /// bridge attributes of a link. That is the sysfs mounted in the calling process.
    public static func bridgeSTP(_ bridge: String) throws -> Bool? {
        guard !bridge.isEmpty, !bridge.contains("/"), bridge != ".", bridge != ".." else { return nil }
        let path = "/sys/class/net/\(bridge)/bridge/stp_state"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            if error == ENOENT || error == ENOTDIR { return nil }
            throw HostNetError(message: "cannot read \(path): \(String(cString: strerror(error)))")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(fd, &buffer, buffer.count)
        let line = buffer[..<max(count, 0)].prefix { $0 != UInt8(ascii: "\n") }
        guard let state = Int(String(decoding: line, as: UTF8.self)) else {
            throw HostNetError(message: "cannot read \(path): unexpected contents")
        }
        return state != 0
    }

    private static func linkNames(_ socket: NetlinkSocket) throws -> [Int: String] {
        var names: [Int: String] = [:]
        try socket.linkCache().forEach { link in
            if let name = rtnl_link_get_name(link) {
                names[Int(rtnl_link_get_ifindex(link))] = String(cString: name)
            }
        }
        return names
    }
}
