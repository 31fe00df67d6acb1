/// A host-bridge request that was wrong, or a host that refused it.
public struct HostBridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request was wrong (a name, an uplink, a value); nothing was changed.
        case invalidInput
        /// The kernel or the file system refused a step.
        case failure
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func invalidInput(_ message: String) -> HostBridgeError { HostBridgeError(.invalidInput, message) }
    public static func failure(_ message: String) -> HostBridgeError { HostBridgeError(.failure, message) }

    public var description: String { message }
}
