import CLibvirt

/// Filters for `Connection.domains(_:)`; an empty set lists every domain.
///
/// Flags of one group (active/inactive, persistent/transient, running/paused/shutoff/other,
/// managedSave/noManagedSave, autostart/noAutostart, hasSnapshot/noSnapshot) combine as "either";
/// groups combine as "and".
public struct DomainListFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init(_ flag: virConnectListAllDomainsFlags) {
        self.init(rawValue: flag.rawValue)
    }

    /// Running or paused domains (`VIR_CONNECT_LIST_DOMAINS_ACTIVE`).
    public static var active: Self { Self(VIR_CONNECT_LIST_DOMAINS_ACTIVE) }
    /// Domains that are not running (`VIR_CONNECT_LIST_DOMAINS_INACTIVE`).
    public static var inactive: Self { Self(VIR_CONNECT_LIST_DOMAINS_INACTIVE) }
    /// Domains with a saved definition (`VIR_CONNECT_LIST_DOMAINS_PERSISTENT`).
    public static var persistent: Self { Self(VIR_CONNECT_LIST_DOMAINS_PERSISTENT) }
    /// Domains that vanish when stopped (`VIR_CONNECT_LIST_DOMAINS_TRANSIENT`).
    public static var transient: Self { Self(VIR_CONNECT_LIST_DOMAINS_TRANSIENT) }
    /// Domains in the running state (`VIR_CONNECT_LIST_DOMAINS_RUNNING`).
    public static var running: Self { Self(VIR_CONNECT_LIST_DOMAINS_RUNNING) }
    /// Paused domains (`VIR_CONNECT_LIST_DOMAINS_PAUSED`).
    public static var paused: Self { Self(VIR_CONNECT_LIST_DOMAINS_PAUSED) }
    /// Shut-off domains (`VIR_CONNECT_LIST_DOMAINS_SHUTOFF`).
    public static var shutoff: Self { Self(VIR_CONNECT_LIST_DOMAINS_SHUTOFF) }
    /// Domains in any other state (`VIR_CONNECT_LIST_DOMAINS_OTHER`).
    public static var other: Self { Self(VIR_CONNECT_LIST_DOMAINS_OTHER) }
    /// Domains with a managed save image (`VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE`).
    public static var managedSave: Self { Self(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE) }
    /// Domains without a managed save image (`VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE`).
    public static var noManagedSave: Self { Self(VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE) }
    /// Domains that start with the host (`VIR_CONNECT_LIST_DOMAINS_AUTOSTART`).
    public static var autostart: Self { Self(VIR_CONNECT_LIST_DOMAINS_AUTOSTART) }
    /// Domains that do not start with the host (`VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART`).
    public static var noAutostart: Self { Self(VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART) }
    /// Domains with snapshots (`VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT`).
    public static var hasSnapshot: Self { Self(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT) }
    /// Domains without snapshots (`VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT`).
    public static var noSnapshot: Self { Self(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT) }
}
