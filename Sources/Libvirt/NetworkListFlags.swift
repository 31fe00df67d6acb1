import CLibvirt

/// Filters for `Connection.networks(_:)`; an empty set lists every network.
///
/// Flags of one group (active/inactive, persistent/transient, autostart/noAutostart) combine as
/// "either"; groups combine as "and".
public struct NetworkListFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init(_ flag: virConnectListAllNetworksFlags) {
        self.init(rawValue: flag.rawValue)
    }

    /// Running networks (`VIR_CONNECT_LIST_NETWORKS_ACTIVE`).
    public static var active: Self { Self(VIR_CONNECT_LIST_NETWORKS_ACTIVE) }
    /// Networks that are not running (`VIR_CONNECT_LIST_NETWORKS_INACTIVE`).
    public static var inactive: Self { Self(VIR_CONNECT_LIST_NETWORKS_INACTIVE) }
    /// Networks with a saved definition (`VIR_CONNECT_LIST_NETWORKS_PERSISTENT`).
    public static var persistent: Self { Self(VIR_CONNECT_LIST_NETWORKS_PERSISTENT) }
    /// Networks that vanish when stopped (`VIR_CONNECT_LIST_NETWORKS_TRANSIENT`).
    public static var transient: Self { Self(VIR_CONNECT_LIST_NETWORKS_TRANSIENT) }
    /// Networks that start with the host (`VIR_CONNECT_LIST_NETWORKS_AUTOSTART`).
    public static var autostart: Self { Self(VIR_CONNECT_LIST_NETWORKS_AUTOSTART) }
    /// Networks that do not start with the host (`VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART`).
    public static var noAutostart: Self { Self(VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART) }
}
