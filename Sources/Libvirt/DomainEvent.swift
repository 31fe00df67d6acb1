import CLibvirt

/// A change in a domain's lifecycle.
public struct DomainEvent: Hashable, Sendable {
    /// The domain's name.
    public var domain: String
    public var kind: Kind
    /// Why it happened, a `virDomainEvent<Kind>DetailType` value such as
    /// `VIR_DOMAIN_EVENT_STOPPED_DESTROYED`; its meaning depends on `kind`.
    public var detail: Int32

    public init(domain: String, kind: Kind, detail: Int32 = 0) {
        self.domain = domain
        self.kind = kind
        self.detail = detail
    }

    /// What happened, mirroring libvirt's `virDomainEventType`.
    public enum Kind: RawRepresentable, Hashable, Sendable {
        /// A definition was saved (`VIR_DOMAIN_EVENT_DEFINED`).
        case defined
        /// The definition was removed (`VIR_DOMAIN_EVENT_UNDEFINED`).
        case undefined
        /// The domain started (`VIR_DOMAIN_EVENT_STARTED`).
        case started
        /// The domain was paused (`VIR_DOMAIN_EVENT_SUSPENDED`).
        case suspended
        /// The domain was unpaused (`VIR_DOMAIN_EVENT_RESUMED`).
        case resumed
        /// The domain stopped (`VIR_DOMAIN_EVENT_STOPPED`).
        case stopped
        /// The guest finished shutting down (`VIR_DOMAIN_EVENT_SHUTDOWN`).
        case shutdown
        /// Guest power management suspended the domain (`VIR_DOMAIN_EVENT_PMSUSPENDED`).
        case pmSuspended
        /// The guest crashed (`VIR_DOMAIN_EVENT_CRASHED`).
        case crashed
        /// A kind newer than this list.
        case unknown(Int32)

        public init(rawValue: Int32) {
            switch rawValue {
            case Int32(VIR_DOMAIN_EVENT_DEFINED.rawValue): self = .defined
            case Int32(VIR_DOMAIN_EVENT_UNDEFINED.rawValue): self = .undefined
            case Int32(VIR_DOMAIN_EVENT_STARTED.rawValue): self = .started
            case Int32(VIR_DOMAIN_EVENT_SUSPENDED.rawValue): self = .suspended
            case Int32(VIR_DOMAIN_EVENT_RESUMED.rawValue): self = .resumed
            case Int32(VIR_DOMAIN_EVENT_STOPPED.rawValue): self = .stopped
            case Int32(VIR_DOMAIN_EVENT_SHUTDOWN.rawValue): self = .shutdown
            case Int32(VIR_DOMAIN_EVENT_PMSUSPENDED.rawValue): self = .pmSuspended
            case Int32(VIR_DOMAIN_EVENT_CRASHED.rawValue): self = .crashed
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .defined: Int32(VIR_DOMAIN_EVENT_DEFINED.rawValue)
            case .undefined: Int32(VIR_DOMAIN_EVENT_UNDEFINED.rawValue)
            case .started: Int32(VIR_DOMAIN_EVENT_STARTED.rawValue)
            case .suspended: Int32(VIR_DOMAIN_EVENT_SUSPENDED.rawValue)
            case .resumed: Int32(VIR_DOMAIN_EVENT_RESUMED.rawValue)
            case .stopped: Int32(VIR_DOMAIN_EVENT_STOPPED.rawValue)
            case .shutdown: Int32(VIR_DOMAIN_EVENT_SHUTDOWN.rawValue)
            case .pmSuspended: Int32(VIR_DOMAIN_EVENT_PMSUSPENDED.rawValue)
            case .crashed: Int32(VIR_DOMAIN_EVENT_CRASHED.rawValue)
            case .unknown(let rawValue): rawValue
            }
        }
    }
}
