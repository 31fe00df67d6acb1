import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A change in a network's lifecycle.
public struct NetworkEvent: Hashable, Sendable {
    /// The network's name.
    public var network: String
    /// The network's UUID, or `nil` when libvirt could not say.
    public var uuid: UUID?
    public var kind: Kind
    /// libvirt's detail for the kind; 0 for every network event in libvirt 9.0.
    public var detail: Int32

    public init(network: String, uuid: UUID? = nil, kind: Kind, detail: Int32 = 0) {
        self.network = network
        self.uuid = uuid
        self.kind = kind
        self.detail = detail
    }

    /// What happened, mirroring libvirt's `virNetworkEventLifecycleType`.
    public enum Kind: RawRepresentable, Hashable, Sendable {
        /// A definition was saved (`VIR_NETWORK_EVENT_DEFINED`).
        case defined
        /// The definition was removed (`VIR_NETWORK_EVENT_UNDEFINED`).
        case undefined
        /// The network started (`VIR_NETWORK_EVENT_STARTED`).
        case started
        /// The network stopped (`VIR_NETWORK_EVENT_STOPPED`).
        case stopped
        /// A kind newer than this list.
        case unknown(Int32)

        public init(rawValue: Int32) {
            switch rawValue {
            case Int32(VIR_NETWORK_EVENT_DEFINED.rawValue): self = .defined
            case Int32(VIR_NETWORK_EVENT_UNDEFINED.rawValue): self = .undefined
            case Int32(VIR_NETWORK_EVENT_STARTED.rawValue): self = .started
            case Int32(VIR_NETWORK_EVENT_STOPPED.rawValue): self = .stopped
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: Int32 {
            switch self {
            case .defined: Int32(VIR_NETWORK_EVENT_DEFINED.rawValue)
            case .undefined: Int32(VIR_NETWORK_EVENT_UNDEFINED.rawValue)
            case .started: Int32(VIR_NETWORK_EVENT_STARTED.rawValue)
            case .stopped: Int32(VIR_NETWORK_EVENT_STOPPED.rawValue)
            case .unknown(let rawValue): rawValue
            }
        }
    }
}
