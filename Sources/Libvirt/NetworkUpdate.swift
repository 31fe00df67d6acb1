import CLibvirt

/// What `Network.update(_:_:xml:parentIndex:flags:)` does with the element it is given.
public enum NetworkUpdateCommand: Hashable, Sendable {
    /// Replaces the matching element (`VIR_NETWORK_UPDATE_COMMAND_MODIFY`).
    case modify
    /// Removes the matching element (`VIR_NETWORK_UPDATE_COMMAND_DELETE`).
    case delete
    /// Adds the element at the end of its list (`VIR_NETWORK_UPDATE_COMMAND_ADD_LAST`).
    case addLast
    /// Adds the element at the start of its list (`VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST`).
    case addFirst

    /// Adds the element at the end of its list.
    public static let add = NetworkUpdateCommand.addLast

    var cValue: virNetworkUpdateCommand {
        switch self {
        case .modify: VIR_NETWORK_UPDATE_COMMAND_MODIFY
        case .delete: VIR_NETWORK_UPDATE_COMMAND_DELETE
        case .addLast: VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
        case .addFirst: VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST
        }
    }
}

/// The part of a network's XML that `Network.update(_:_:xml:parentIndex:flags:)` changes.
///
/// libvirt 9.0 cannot update `ip`; the section exists so the call reports that itself.
public enum NetworkUpdateSection: Hashable, Sendable {
    /// `<bridge>`
    case bridge
    /// `<domain>`
    case domain
    /// `<ip>`
    case ip
    /// `<ip>/<dhcp>/<host>`
    case ipDHCPHost
    /// `<ip>/<dhcp>/<range>`
    case ipDHCPRange
    /// `<forward>`
    case forward
    /// `<forward>/<interface>`
    case forwardInterface
    /// `<forward>/<pf>`
    case forwardPF
    /// `<portgroup>`
    case portGroup
    /// `<dns>/<host>`
    case dnsHost
    /// `<dns>/<txt>`
    case dnsTXT
    /// `<dns>/<srv>`
    case dnsSRV

    var cValue: virNetworkUpdateSection {
        switch self {
        case .bridge: VIR_NETWORK_SECTION_BRIDGE
        case .domain: VIR_NETWORK_SECTION_DOMAIN
        case .ip: VIR_NETWORK_SECTION_IP
        case .ipDHCPHost: VIR_NETWORK_SECTION_IP_DHCP_HOST
        case .ipDHCPRange: VIR_NETWORK_SECTION_IP_DHCP_RANGE
        case .forward: VIR_NETWORK_SECTION_FORWARD
        case .forwardInterface: VIR_NETWORK_SECTION_FORWARD_INTERFACE
        case .forwardPF: VIR_NETWORK_SECTION_FORWARD_PF
        case .portGroup: VIR_NETWORK_SECTION_PORTGROUP
        case .dnsHost: VIR_NETWORK_SECTION_DNS_HOST
        case .dnsTXT: VIR_NETWORK_SECTION_DNS_TXT
        case .dnsSRV: VIR_NETWORK_SECTION_DNS_SRV
        }
    }
}

/// Which copies of a network `Network.update(_:_:xml:parentIndex:flags:)` changes.
public struct NetworkUpdateFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init(_ flag: virNetworkUpdateFlags) {
        self.init(rawValue: flag.rawValue)
    }

    /// The running network if it runs, else the saved definition (`VIR_NETWORK_UPDATE_AFFECT_CURRENT`).
    public static var current: Self { Self(VIR_NETWORK_UPDATE_AFFECT_CURRENT) }
    /// The running network (`VIR_NETWORK_UPDATE_AFFECT_LIVE`).
    public static var live: Self { Self(VIR_NETWORK_UPDATE_AFFECT_LIVE) }
    /// The saved definition (`VIR_NETWORK_UPDATE_AFFECT_CONFIG`).
    public static var config: Self { Self(VIR_NETWORK_UPDATE_AFFECT_CONFIG) }
}
