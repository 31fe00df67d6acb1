/// A bridge on the host as `host-bridge list` shows it.
public struct HostBridgeInfo: Sendable, Hashable, Codable {
    public var name: String
    public var mac: String?
    public var mtu: Int
    public var isUp: Bool
    /// Whether STP runs; `nil` when sysfs could not say.
    public var stp: Bool?
    public var forwardDelay: Int?
    public var ports: [String]
    /// `ADDRESS/PREFIX`, IPv6 link-local ones left out.
    public var addresses: [String]
}

extension HostBridge {
    /// Every bridge on the host, in index order.
    public static func list() throws(HostBridgeError) -> [HostBridgeInfo] {
        try reading {
            let links = try HostNetwork.links()
            let addresses = try HostNetwork.addresses()
            return links.filter { $0.kind == .bridge }.map { bridge in
                HostBridgeInfo(
                    name: bridge.name, mac: bridge.mac, mtu: bridge.mtu, isUp: bridge.isUp,
                    stp: (try? HostNetwork.bridgeSTP(bridge.name)).flatMap { $0 },
                    forwardDelay: (try? HostNetwork.bridgeForwardDelay(bridge.name)).flatMap { $0 },
                    ports: links.filter { $0.masterIndex == bridge.index }.map(\.name),
                    addresses: addresses.filter {
                        $0.linkIndex == bridge.index && !($0.family == .ipv6 && $0.address.hasPrefix("fe80:"))
                    }.map { "\($0.address)/\($0.prefixLength)" })
            }
        }
    }

}
