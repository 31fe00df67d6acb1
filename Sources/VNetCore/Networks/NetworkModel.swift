/// The KVM networking models vnetctl defines, plus libvirt's expert `open` mode.
public enum NetworkModel: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Own bridge and dnsmasq, no `<forward>`: guests reach each other and the host only.
    case isolated
    /// `<forward mode='route'>`: guests reach outside with their own addresses.
    case routed
    /// `<forward mode='nat'>`: guests reach outside masqueraded as the host.
    case nat
    /// `<forward mode='bridge'>` on an existing host bridge or macvtap: guests are LAN peers.
    case bridged
    /// `<forward mode='open'>`: a bridge with no firewall rules added at all.
    case open

    public var description: String { rawValue }

    /// The model a network's `<forward mode>` stands for, or nil for modes outside the five
    /// (passthrough, private, vepa, hostdev).
    public init?(forwardMode: String?) {
        switch forwardMode {
        case nil: self = .isolated
        case "route": self = .routed
        case "nat": self = .nat
        case "bridge": self = .bridged
        case "open": self = .open
        default: return nil
        }
    }
}
