/// What `host-bridge create` or `delete` asks for.
public struct HostBridgeRequest: Sendable, Hashable, Codable {
    public var name: String
    /// The NIC to enslave, whose addresses and routes move to the bridge.
    public var uplink: String?
    public var stp: Bool
    public var forwardDelay: Int
    /// The bridge's MTU; the uplink's when not given.
    public var mtu: Int?

    public init(name: String, uplink: String? = nil, stp: Bool = false, forwardDelay: Int = 0, mtu: Int? = nil) {
        self.name = name
        self.uplink = uplink
        self.stp = stp
        self.forwardDelay = forwardDelay
        self.mtu = mtu
    }
}

/// The ordered steps of a host-bridge procedure, and the state they move, read from the host.
public struct HostBridgePlan: Sendable, Hashable, Codable {
    public var bridge: HostBridgeSettings
    /// The NIC that is (or becomes) the bridge's port towards the LAN.
    public var uplink: String?
    /// The addresses that move between the uplink and the bridge, in kernel order.
    public var addresses: [HostAddressSetting]
    /// The routes that move between the uplink and the bridge.
    public var routes: [HostRouteSetting]
    public var steps: [HostBridgeStep]

    public init(
        bridge: HostBridgeSettings, uplink: String?, addresses: [HostAddressSetting], routes: [HostRouteSetting],
        steps: [HostBridgeStep]
    ) {
        self.bridge = bridge
        self.uplink = uplink
        self.addresses = addresses
        self.routes = routes
        self.steps = steps
    }

    /// The steps that make the bridge, in an order that keeps the host's address reachable: the bridge
    /// (with the uplink's MAC) comes up and gets the uplink's addresses before the uplink joins it,
    /// each route is added through the bridge before it is deleted from the uplink, and only then do
    /// the addresses leave the uplink.
    public static func creating(
        _ bridge: HostBridgeSettings, uplink: String?, addresses: [HostAddressSetting], routes: [HostRouteSetting]
    ) -> HostBridgePlan {
        var steps: [HostBridgeStep] = [.createBridge(bridge), .setLink(bridge.name, up: true)]
        if let uplink {
            steps += addresses.map { .addAddress($0, link: bridge.name) }
            steps.append(.enslave(uplink, bridge: bridge.name))
            for route in routes {
                steps += [.addRoute(route, link: bridge.name), .deleteRoute(route, link: uplink)]
            }
            // Secondaries before their primary: deleting an IPv4 primary takes its secondaries with it.
            steps += addresses.reversed().map { .deleteAddress($0, link: uplink) }
        }
        return HostBridgePlan(bridge: bridge, uplink: uplink, addresses: addresses, routes: routes, steps: steps)
    }

    /// The steps that take a bridge apart: the reverse of ``creating(_:uplink:addresses:routes:)``,
    /// with every port released.
    public static func deleting(
        _ bridge: HostBridgeSettings, isUp: Bool, ports: [String], uplink: String?,
        addresses: [HostAddressSetting], routes: [HostRouteSetting]
    ) -> HostBridgePlan {
        var steps: [HostBridgeStep] = []
        if let uplink { steps += addresses.map { .addAddress($0, link: uplink) } }
        steps += ports.map { .release($0, bridge: bridge.name) }
        if let uplink {
            for route in routes {
                steps += [.addRoute(route, link: uplink), .deleteRoute(route, link: bridge.name)]
            }
            steps += addresses.reversed().map { .deleteAddress($0, link: bridge.name) }
        }
        if isUp { steps.append(.setLink(bridge.name, up: false)) }
        steps.append(.deleteBridge(bridge))
        return HostBridgePlan(
            bridge: bridge, uplink: uplink, addresses: uplink == nil ? [] : addresses,
            routes: uplink == nil ? [] : routes, steps: steps)
    }
}
