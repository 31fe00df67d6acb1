import CLibNL
import Glibc

/// The write side: each call changes one thing on the host through rtnetlink, in the network
/// namespace of the calling thread, and throws `HostNetError` with libnl's reason if the kernel
/// refuses.
extension HostNetwork {
    /// Creates a bridge (`NLM_F_CREATE|NLM_F_EXCL`: fails if the name is taken), down, with the
    /// given MAC and MTU when they are set.
    public static func createBridge(named name: String, mac: String? = nil, mtu: Int? = nil) throws {
        let socket = try NetlinkSocket()
        guard let link = rtnl_link_bridge_alloc() else {
            throw HostNetError("cannot create bridge \(name)", libnlCode: -NLE_NOMEM)
        }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        if let mtu { rtnl_link_set_mtu(link, UInt32(mtu)) }
        if let mac {
            let address = try NetlinkChange.parse(mac, family: AF_LLC, what: "MAC address")
            defer { nl_addr_put(address) }
            rtnl_link_set_addr(link, address)
        }
        try NetlinkChange.check("cannot create bridge \(name)",
                                rtnl_link_add(socket.handle, link, NLM_F_CREATE | NLM_F_EXCL))
    }

    /// Deletes a link (for a bridge, its ports are released and its addresses and routes go with it).
    public static func deleteLink(named name: String) throws {
        try NetlinkChange.change(name, "cannot delete \(name)") { socket, link in
            rtnl_link_delete(socket.handle, link)
        }
    }

    /// Sets a link administratively up or down.
    public static func setLink(_ name: String, up: Bool) throws {
        try NetlinkChange.modify(name, "cannot set \(name) \(up ? "up" : "down")") { change in
            if up {
                rtnl_link_set_flags(change, UInt32(IFF_UP.rawValue))
            } else {
                rtnl_link_unset_flags(change, UInt32(IFF_UP.rawValue))
            }
        }
    }

    /// Sets a link's MTU.
    public static func setMTU(_ name: String, _ mtu: Int) throws {
        try NetlinkChange.modify(name, "cannot set the MTU of \(name) to \(mtu)") { rtnl_link_set_mtu($0, UInt32(mtu)) }
    }

    /// Sets a link's Ethernet address.
    public static func setMAC(_ name: String, _ mac: String) throws {
        let address = try NetlinkChange.parse(mac, family: AF_LLC, what: "MAC address")
        defer { nl_addr_put(address) }
        try NetlinkChange.modify(name, "cannot set the MAC address of \(name) to \(mac)") { rtnl_link_set_addr($0, address) }
    }

    /// Makes `port` a port of `bridge`.
    ///
    /// `rtnl_link_enslave_ifindex` reads the link back and fails with "Operation not supported" if the
    /// kernel accepted the request but did not set the master.
    public static func enslave(_ port: String, to bridge: String) throws {
        let socket = try NetlinkSocket()
        let portIndex = try NetlinkChange.index(of: port, socket)
        let bridgeIndex = try NetlinkChange.index(of: bridge, socket)
        try NetlinkChange.check("cannot add \(port) to bridge \(bridge)",
                                rtnl_link_enslave_ifindex(socket.handle, Int32(bridgeIndex), Int32(portIndex)))
    }

    /// Takes `port` out of whatever bridge or bond holds it.
    public static func release(_ port: String) throws {
        let socket = try NetlinkSocket()
        let portIndex = try NetlinkChange.index(of: port, socket)
        try NetlinkChange.check("cannot take \(port) out of its bridge",
                                rtnl_link_release_ifindex(socket.handle, Int32(portIndex)))
    }

    /// Adds an address to a link; fails if the link already has it.
    public static func addAddress(_ setting: HostAddressSetting, to name: String) throws {
        try NetlinkChange.withAddress(setting, on: name, "cannot add \(setting.cidr) to \(name)") { socket, address in
            rtnl_addr_add(socket.handle, address, NLM_F_EXCL)
        }
    }

    /// Deletes an address from a link.
    public static func deleteAddress(_ setting: HostAddressSetting, from name: String) throws {
        try NetlinkChange.withAddress(setting, on: name, "cannot delete \(setting.cidr) from \(name)") { socket, address in
            rtnl_addr_delete(socket.handle, address, 0)
        }
    }

    /// Adds a route through a link; succeeds if the link has it already.
    ///
    /// It is appended (`NLM_F_APPEND`, not `NLM_F_EXCL`) so that the same route may exist through
    /// two links for a moment, which is how a route moves without a gap. The kernel's answer is the
    /// only reliable test for "has it already": libnl's route cache keeps one of two routes that
    /// differ only in their next hop.
    public static func addRoute(_ setting: HostRouteSetting, through name: String) throws {
        try NetlinkChange.withRoute(setting, through: name, "cannot add route \(setting.summary) dev \(name)") { socket, route in
            let result = rtnl_route_add(socket.handle, route, NLM_F_APPEND)
            return result == -NLE_EXIST ? 0 : result
        }
    }

    /// Deletes a route through a link; succeeds if the link does not have it (any more).
    public static func deleteRoute(_ setting: HostRouteSetting, through name: String) throws {
        try NetlinkChange.withRoute(setting, through: name, "cannot delete route \(setting.summary) dev \(name)") { socket, route in
            let result = rtnl_route_delete(socket.handle, route, 0)
            return result == -NLE_OBJ_NOTFOUND ? 0 : result
        }
    }

    /// Turns the kernel's Spanning Tree Protocol on or off for a bridge.
    ///
    /// Written to `/sys/class/net/BRIDGE/bridge/stp_state`: libnl 3.7 has no setter for the bridge's
    /// `IFLA_BR_*` attributes. That is the sysfs mounted in the calling process (`ip netns exec`
    /// mounts the namespace's own).
    public static func setBridgeSTP(_ bridge: String, on: Bool) throws {
        try NetlinkChange.writeSysfs(bridge, "stp_state", on ? "1" : "0")
    }

    /// Sets a bridge's forward delay in seconds, through sysfs for the same reason as
    /// ``setBridgeSTP(_:on:)``. The kernel takes it in hundredths of a second there.
    public static func setBridgeForwardDelay(_ bridge: String, seconds: Int) throws {
        try NetlinkChange.writeSysfs(bridge, "forward_delay", String(seconds * 100))
    }

    /// A bridge's forward delay in whole seconds, from sysfs; `nil` if there is no such bridge.
    public static func bridgeForwardDelay(_ bridge: String) throws -> Int? {
        guard let text = try NetlinkChange.readSysfs(bridge, "forward_delay"), let value = Int(text) else { return nil }
        return value / 100
    }

    /// The addresses of one link, in kernel order (an IPv4 primary before its secondaries).
    public static func addressSettings(of name: String) throws -> [HostAddressSetting] {
        let socket = try NetlinkSocket()
        let index = try NetlinkChange.index(of: name, socket)
        var settings: [HostAddressSetting] = []
        try socket.addressCache().forEach { object in
            guard Int(rtnl_addr_get_ifindex(object)) == index,
                  let setting = HostAddressSetting(rtnlAddress: object, linkName: name) else { return }
            settings.append(setting)
        }
        return settings
    }

    /// The routes, in every table, whose one next hop leaves through this link and that the kernel
    /// did not make itself.
    public static func routeSettings(through name: String) throws -> [HostRouteSetting] {
        let socket = try NetlinkSocket()
        let index = try NetlinkChange.index(of: name, socket)
        var settings: [HostRouteSetting] = []
        try socket.routeCache().forEach { object in
            if let setting = HostRouteSetting(rtnlRoute: object, linkIndex: index) { settings.append(setting) }
        }
        return settings
    }
}
