import CLibNL
import Glibc

/// The libnl plumbing of the write side.
enum NetlinkChange {
    static func check(_ operation: String, _ result: Int32) throws {
        guard result >= 0 else { throw HostNetError(operation, libnlCode: result) }
    }

    /// Parses text into a new `nl_addr` the caller must put.
    static func parse(_ text: String, family: Int32, what: String) throws -> OpaquePointer {
        var address: OpaquePointer?
        let result = nl_addr_parse(text, family, &address)
        guard result >= 0, let address else {
            throw HostNetError("invalid \(what) \(text)", libnlCode: result)
        }
        return address
    }

    static func index(of name: String, _ socket: NetlinkSocket) throws -> Int {
        guard let index = try socket.withLink(named: name, { Int(rtnl_link_get_ifindex($0)) }) else {
            throw HostNetError(message: "no network interface named \(name)")
        }
        return index
    }

    /// Calls `body` with the kernel's copy of the link.
    static func change(_ name: String, _ operation: String, _ body: (NetlinkSocket, OpaquePointer) -> Int32) throws {
        let socket = try NetlinkSocket()
        let result = try socket.withLink(named: name) { body(socket, $0) }
        guard let result else { throw HostNetError(message: "\(operation): no network interface named \(name)") }
        try check(operation, result)
    }

    /// Sends `rtnl_link_change` for the link named `name` with the attributes `fill` sets.
    ///
    /// The original handed to libnl carries only the index: given the kernel's copy, libnl would
    /// also send that link's kind (`veth`, …) and some kernels refuse a kind on a change.
    static func modify(_ name: String, _ operation: String, _ fill: (OpaquePointer) -> Void) throws {
        let socket = try NetlinkSocket()
        let index = try index(of: name, socket)
        guard let original = rtnl_link_alloc(), let change = rtnl_link_alloc() else {
            throw HostNetError(operation, libnlCode: -NLE_NOMEM)
        }
        defer {
            rtnl_link_put(original)
            rtnl_link_put(change)
        }
        rtnl_link_set_ifindex(original, Int32(index))
        fill(change)
        try check(operation, rtnl_link_change(socket.handle, original, change, 0))
    }

    static func withAddress(
        _ setting: HostAddressSetting, on name: String, _ operation: String,
        _ body: (NetlinkSocket, OpaquePointer) -> Int32
    ) throws {
        let socket = try NetlinkSocket()
        let index = try index(of: name, socket)
        guard let address = rtnl_addr_alloc() else { throw HostNetError(operation, libnlCode: -NLE_NOMEM) }
        defer { rtnl_addr_put(address) }
        let family = setting.family.addressFamily
        let local = try parse(setting.cidr, family: family, what: "address")
        defer { nl_addr_put(local) }
        rtnl_addr_set_ifindex(address, Int32(index))
        try check(operation, rtnl_addr_set_local(address, local))
        rtnl_addr_set_prefixlen(address, Int32(setting.prefixLength))
        rtnl_addr_set_scope(address, Int32(setting.scope))
        if setting.flags != 0 { rtnl_addr_set_flags(address, setting.flags) }
        if let broadcast = setting.broadcast {
            let value = try parse(broadcast, family: family, what: "broadcast address")
            defer { nl_addr_put(value) }
            try check(operation, rtnl_addr_set_broadcast(address, value))
        }
        if setting.family == .ipv4 {
            try check(operation, rtnl_addr_set_label(address, name + (setting.labelSuffix ?? "")))
        }
        try check(operation, body(socket, address))
    }

    static func withRoute(
        _ setting: HostRouteSetting, through name: String, _ operation: String,
        _ body: (NetlinkSocket, OpaquePointer) -> Int32
    ) throws {
        let socket = try NetlinkSocket()
        let index = try index(of: name, socket)
        guard let route = rtnl_route_alloc() else { throw HostNetError(operation, libnlCode: -NLE_NOMEM) }
        defer { rtnl_route_put(route) }
        let family = setting.family.addressFamily
        try check(operation, rtnl_route_set_family(route, UInt8(family)))
        // nl_addr_parse reads "default" as the zero-length address libnl uses for a default route.
        let destination = try parse(setting.isDefault ? "default" : setting.destinationText, family: family, what: "destination")
        defer { nl_addr_put(destination) }
        try check(operation, rtnl_route_set_dst(route, destination))
        rtnl_route_set_table(route, UInt32(setting.table))
        rtnl_route_set_priority(route, UInt32(setting.metric))
        rtnl_route_set_protocol(route, UInt8(setting.origin))
        rtnl_route_set_scope(route, UInt8(setting.scope))
        try check(operation, rtnl_route_set_type(route, UInt8(RTN_UNICAST)))
        if let source = setting.preferredSource {
            let value = try parse(source, family: family, what: "source address")
            defer { nl_addr_put(value) }
            try check(operation, rtnl_route_set_pref_src(route, value))
        }
        guard let hop = rtnl_route_nh_alloc() else { throw HostNetError(operation, libnlCode: -NLE_NOMEM) }
        rtnl_route_nh_set_ifindex(hop, Int32(index))
        if setting.onlink { rtnl_route_nh_set_flags(hop, UInt32(RTNH_F_ONLINK)) }
        if let gateway = setting.gateway {
            let gatewayFamily = gateway.contains(":") ? AF_INET6 : AF_INET
            let value = try parse(gateway, family: gatewayFamily, what: "gateway")
            defer { nl_addr_put(value) }
            rtnl_route_nh_set_gateway(hop, value)
        }
        // The route owns the next hop from here and frees it with itself.
        rtnl_route_add_nexthop(route, hop)
        try check(operation, body(socket, route))
    }

    private static func sysfsPath(_ bridge: String, _ attribute: String) throws -> String {
        guard !bridge.isEmpty, !bridge.contains("/"), bridge != ".", bridge != ".." else {
            throw HostNetError(message: "invalid bridge name \(bridge)")
        }
        return "/sys/class/net/\(bridge)/bridge/\(attribute)"
    }

    static func writeSysfs(_ bridge: String, _ attribute: String, _ value: String) throws {
        let path = try sysfsPath(bridge, attribute)
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostNetError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw HostNetError(message: "cannot write \(value) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func readSysfs(_ bridge: String, _ attribute: String) throws -> String? {
        let path = try sysfsPath(bridge, attribute)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &buffer, buffer.count)
        return String(decoding: buffer[..<max(count, 0)], as: UTF8.self).trimmingCharacters(in: "\n")
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = self
        while text.last == character { text.removeLast() }
        return text
    }
}
