import CLibNL

/// The settings of every link that planning a host bridge moves or keeps: each link's addresses
/// and routes as ``HostAddressSetting`` and ``HostRouteSetting``, and each bridge's STP and
/// forward delay.
///
/// Read all at once (``HostNetwork/linkSettings(of:)``) with the rest of a command's facts, so that
/// ``HostBridge/planCreate(_:links:settings:)`` and ``HostBridge/planDelete(_:links:settings:)``
/// read nothing themselves.
public struct HostLinkSettings: Sendable, Hashable, Codable {
    /// Link name → its addresses in kernel order (an IPv4 primary before its secondaries).
    public var addresses: [String: [HostAddressSetting]]
    /// Link name → the routes whose one next hop leaves through it and that the kernel did not make.
    public var routes: [String: [HostRouteSetting]]
    /// Bridge name → whether it runs the Spanning Tree Protocol.
    public var stp: [String: Bool]
    /// Bridge name → its forward delay in whole seconds.
    public var forwardDelay: [String: Int]

    public init(
        addresses: [String: [HostAddressSetting]] = [:], routes: [String: [HostRouteSetting]] = [:],
        stp: [String: Bool] = [:], forwardDelay: [String: Int] = [:]
    ) {
        self.addresses = addresses
        self.routes = routes
        self.stp = stp
        self.forwardDelay = forwardDelay
    }
}

extension HostNetwork {
    /// The settings of `links` (``links()``, read just before): one dump each of addresses and
    /// routes, and each bridge's STP state and forward delay from sysfs. The same as
    /// ``addressSettings(of:)``, ``routeSettings(through:)``, ``bridgeSTP(_:)`` and
    /// ``bridgeForwardDelay(_:)`` link by link. An address or route of a link made after `links`
    /// were read is left out, as that link is.
    public static func linkSettings(of links: [HostLink]) throws -> HostLinkSettings {
        let socket = try NetlinkSocket()
        let names = Dictionary(links.map { ($0.index, $0.name) }, uniquingKeysWith: { first, _ in first })
        let bridges = links.filter { $0.kind == .bridge }.map(\.name)
        var settings = HostLinkSettings()
        try socket.addressCache().forEach { object in
            guard let name = names[Int(rtnl_addr_get_ifindex(object))],
                  let setting = HostAddressSetting(rtnlAddress: object, linkName: name) else { return }
            settings.addresses[name, default: []].append(setting)
        }
        try socket.routeCache().forEach { object in
            guard let hop = rtnl_route_get_nnexthops(object) == 1 ? rtnl_route_nexthop_n(object, 0) : nil else { return }
            let index = Int(rtnl_route_nh_get_ifindex(hop))
            guard let name = names[index], let setting = HostRouteSetting(rtnlRoute: object, linkIndex: index) else { return }
            settings.routes[name, default: []].append(setting)
        }
        for bridge in bridges {
            if let on = (try? bridgeSTP(bridge)).flatMap({ $0 }) { settings.stp[bridge] = on }
            if let delay = (try? bridgeForwardDelay(bridge)).flatMap({ $0 }) { settings.forwardDelay[bridge] = delay }
        }
        return settings
    }
}
