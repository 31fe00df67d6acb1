import HostNet

/// A host bridge as `host-bridge list` prints it.
public struct HostBridgeSummary: Sendable, Codable, Equatable {
    public var name: String
    public var mac: String?
    public var mtu: Int
    public var up: Bool
    public var stp: Bool?
    public var forwardDelay: Int?
    public var ports: [String]
    public var addresses: [String]

    init(_ info: HostBridgeInfo) {
        name = info.name
        mac = info.mac
        mtu = info.mtu
        up = info.isUp
        stp = info.stp
        forwardDelay = info.forwardDelay
        ports = info.ports
        addresses = info.addresses
    }
}
