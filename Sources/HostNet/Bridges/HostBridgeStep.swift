/// The settings a bridge is created with.
public struct HostBridgeSettings: Sendable, Hashable, Codable {
    public var name: String
    /// The bridge's Ethernet address; the uplink's, so DHCP leases and switch port security still match.
    public var mac: String?
    public var mtu: Int?
    public var stp: Bool
    /// Seconds a port spends listening and learning before it forwards.
    public var forwardDelay: Int

    public init(name: String, mac: String? = nil, mtu: Int? = nil, stp: Bool = false, forwardDelay: Int = 0) {
        self.name = name
        self.mac = mac
        self.mtu = mtu
        self.stp = stp
        self.forwardDelay = forwardDelay
    }
}

/// One change to the host in a host-bridge procedure, which knows the change that undoes it.
public enum HostBridgeStep: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Creates the bridge, down, and sets its forward delay and STP.
    case createBridge(HostBridgeSettings)
    /// Deletes the bridge; the settings are what recreating it takes.
    case deleteBridge(HostBridgeSettings)
    case setLink(String, up: Bool)
    case addAddress(HostAddressSetting, link: String)
    case deleteAddress(HostAddressSetting, link: String)
    case enslave(String, bridge: String)
    case release(String, bridge: String)
    case addRoute(HostRouteSetting, link: String)
    case deleteRoute(HostRouteSetting, link: String)

    /// The step that undoes this one.
    public var inverse: HostBridgeStep {
        switch self {
        case .createBridge(let settings): .deleteBridge(settings)
        case .deleteBridge(let settings): .createBridge(settings)
        case .setLink(let link, let up): .setLink(link, up: !up)
        case .addAddress(let address, let link): .deleteAddress(address, link: link)
        case .deleteAddress(let address, let link): .addAddress(address, link: link)
        case .enslave(let port, let bridge): .release(port, bridge: bridge)
        case .release(let port, let bridge): .enslave(port, bridge: bridge)
        case .addRoute(let route, let link): .deleteRoute(route, link: link)
        case .deleteRoute(let route, let link): .addRoute(route, link: link)
        }
    }

    /// The step in words, like `ip` and `brctl` would say it.
    public var description: String {
        switch self {
        case .createBridge(let s):
            var words = ["create bridge \(s.name)"]
            if let mac = s.mac { words.append("address \(mac)") }
            if let mtu = s.mtu { words.append("mtu \(mtu)") }
            words.append("stp \(s.stp ? "on" : "off") forward-delay \(s.forwardDelay)")
            return words.joined(separator: " ")
        case .deleteBridge(let s): return "delete bridge \(s.name)"
        case .setLink(let link, let up): return "set \(link) \(up ? "up" : "down")"
        case .addAddress(let address, let link): return "add address \(address.cidr) to \(link)"
        case .deleteAddress(let address, let link): return "delete address \(address.cidr) from \(link)"
        case .enslave(let port, let bridge): return "add \(port) to bridge \(bridge)"
        case .release(let port, let bridge): return "take \(port) out of bridge \(bridge)"
        case .addRoute(let route, let link): return "add route \(route.summary) dev \(link)"
        case .deleteRoute(let route, let link): return "delete route \(route.summary) dev \(link)"
        }
    }

    /// Whether the host already shows this change, read back from the kernel: what lets a rerun
    /// after a kill skip the steps done and finish the rest.
    ///
    /// Addresses compare by address and prefix; routes are left to ``perform()``, which succeeds for
    /// a route already added or deleted. A change on a link that no longer exists is in effect when
    /// it takes something away.
    func isInEffect() throws -> Bool {
        let links = try HostNetwork.links()
        func link(_ name: String) -> HostLink? { links.first { $0.name == name } }
        func hasAddress(_ address: HostAddressSetting, _ name: String) throws -> Bool {
            guard link(name) != nil else { return false }
            return try HostNetwork.addressSettings(of: name).contains { $0.family == address.family && $0.cidr == address.cidr }
        }
        func master(_ port: String) -> Int? { link(port)?.masterIndex }
        switch self {
        case .createBridge(let s):
            guard link(s.name)?.kind == .bridge else { return false }
            return try HostNetwork.bridgeForwardDelay(s.name) == s.forwardDelay && HostNetwork.bridgeSTP(s.name) == s.stp
        case .deleteBridge(let s): return link(s.name) == nil
        case .setLink(let name, let up): return link(name).map { $0.isUp == up } ?? !up
        case .addAddress(let address, let name): return try hasAddress(address, name)
        case .deleteAddress(let address, let name): return try !hasAddress(address, name)
        case .enslave(let port, let bridge): return master(port) != nil && master(port) == link(bridge)?.index
        case .release(let port, let bridge): return master(port) == nil || master(port) != link(bridge)?.index
        // The kernel tells (see HostNetwork.addRoute): adding a route present and deleting one absent succeed.
        case .addRoute: return false
        case .deleteRoute(_, let name): return link(name) == nil
        }
    }

    /// Makes the change on the host.
    ///
    /// A bridge that exists already (a run cut off between creating it and setting its STP) only
    /// gets its forward delay and STP.
    func perform() throws {
        switch self {
        case .createBridge(let s):
            let exists = try HostNetwork.links().contains { $0.name == s.name && $0.kind == .bridge }
            if !exists { try HostNetwork.createBridge(named: s.name, mac: s.mac, mtu: s.mtu) }
            do {
                // The kernel accepts any forward delay while STP is off, so the delay goes first.
                try HostNetwork.setBridgeForwardDelay(s.name, seconds: s.forwardDelay)
                try HostNetwork.setBridgeSTP(s.name, on: s.stp)
            } catch {
                if !exists { try? HostNetwork.deleteLink(named: s.name) }
                throw error
            }
        case .deleteBridge(let s): try HostNetwork.deleteLink(named: s.name)
        case .setLink(let link, let up): try HostNetwork.setLink(link, up: up)
        case .addAddress(let address, let link): try HostNetwork.addAddress(address, to: link)
        case .deleteAddress(let address, let link): try HostNetwork.deleteAddress(address, from: link)
        case .enslave(let port, let bridge): try HostNetwork.enslave(port, to: bridge)
        case .release(let port, _): try HostNetwork.release(port)
        case .addRoute(let route, let link): try HostNetwork.addRoute(route, through: link)
        case .deleteRoute(let route, let link): try HostNetwork.deleteRoute(route, through: link)
        }
    }
}
