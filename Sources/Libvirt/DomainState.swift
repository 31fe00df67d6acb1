import CLibvirt

/// What a domain is doing, mirroring libvirt's `virDomainState`.
public enum DomainState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// No state (`VIR_DOMAIN_NOSTATE`).
    case noState
    /// Running (`VIR_DOMAIN_RUNNING`).
    case running
    /// Blocked on a resource (`VIR_DOMAIN_BLOCKED`).
    case blocked
    /// Paused by the user (`VIR_DOMAIN_PAUSED`).
    case paused
    /// Being shut down (`VIR_DOMAIN_SHUTDOWN`).
    case shutdown
    /// Shut off (`VIR_DOMAIN_SHUTOFF`).
    case shutoff
    /// Crashed (`VIR_DOMAIN_CRASHED`).
    case crashed
    /// Suspended by guest power management (`VIR_DOMAIN_PMSUSPENDED`).
    case pmSuspended
    /// A state newer than this list.
    case unknown(Int32)

    public init(rawValue: Int32) {
        switch rawValue {
        case Int32(VIR_DOMAIN_NOSTATE.rawValue): self = .noState
        case Int32(VIR_DOMAIN_RUNNING.rawValue): self = .running
        case Int32(VIR_DOMAIN_BLOCKED.rawValue): self = .blocked
        case Int32(VIR_DOMAIN_PAUSED.rawValue): self = .paused
        case Int32(VIR_DOMAIN_SHUTDOWN.rawValue): self = .shutdown
        case Int32(VIR_DOMAIN_SHUTOFF.rawValue): self = .shutoff
        case Int32(VIR_DOMAIN_CRASHED.rawValue): self = .crashed
        case Int32(VIR_DOMAIN_PMSUSPENDED.rawValue): self = .pmSuspended
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: Int32 {
        switch self {
        case .noState: Int32(VIR_DOMAIN_NOSTATE.rawValue)
        case .running: Int32(VIR_DOMAIN_RUNNING.rawValue)
        case .blocked: Int32(VIR_DOMAIN_BLOCKED.rawValue)
        case .paused: Int32(VIR_DOMAIN_PAUSED.rawValue)
        case .shutdown: Int32(VIR_DOMAIN_SHUTDOWN.rawValue)
        case .shutoff: Int32(VIR_DOMAIN_SHUTOFF.rawValue)
        case .crashed: Int32(VIR_DOMAIN_CRASHED.rawValue)
        case .pmSuspended: Int32(VIR_DOMAIN_PMSUSPENDED.rawValue)
        case .unknown(let rawValue): rawValue
        }
    }

    /// The case's name (`running`, `shutoff`, `unknown(9)`): what vnetctl's output calls the state.
    /// Spelled out so that printing a state needs no reflection.
    public var description: String {
        switch self {
        case .noState: "noState"
        case .running: "running"
        case .blocked: "blocked"
        case .paused: "paused"
        case .shutdown: "shutdown"
        case .shutoff: "shutoff"
        case .crashed: "crashed"
        case .pmSuspended: "pmSuspended"
        case .unknown(let rawValue): "unknown(\(rawValue))"
        }
    }
}
