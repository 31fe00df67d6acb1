/// A host-bridge request that was wrong, or a host that refused it.
public struct HostBridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request was wrong (a name, an uplink, a value); nothing was changed.
        case invalidInput
        /// The kernel or the file system refused a step.
        case failure
    }

    /// A look at the host's bridges that the message ends by suggesting. HostNet words it
    /// neutrally in ``description``; a layer above words it with its own listing command.
    public enum Suggestion: Sendable, Equatable {
        /// "…; LISTING shows the bridges": the user finds the bridge meant among them.
        case listingShowsTheBridges
        /// "…; check LISTING": the host's bridges may be half changed.
        case checkTheListing
    }

    public var kind: Kind
    /// The message before the suggestion.
    public var message: String
    public var suggestion: Suggestion?

    public init(_ kind: Kind, _ message: String, suggesting suggestion: Suggestion? = nil) {
        self.kind = kind
        self.message = message
        self.suggestion = suggestion
    }

    public static func invalidInput(_ message: String, suggesting suggestion: Suggestion? = nil) -> HostBridgeError {
        HostBridgeError(.invalidInput, message, suggesting: suggestion)
    }
    public static func failure(_ message: String, suggesting suggestion: Suggestion? = nil) -> HostBridgeError {
        HostBridgeError(.failure, message, suggesting: suggestion)
    }

    /// The message with its suggestion in neutral words.
    public var description: String {
        switch suggestion {
        case nil: message
        case .listingShowsTheBridges: message + "; see the host's bridges"
        case .checkTheListing: message + "; check the host's bridges"
        }
    }
}
