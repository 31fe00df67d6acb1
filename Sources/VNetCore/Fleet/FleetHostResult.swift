/// What a fleet command did on one host of the file: converged, checked, or failed and why.
public struct FleetHostResult: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Its part of the file was carried out (or was already in place).
        case converged
        /// `--check`: its part was planned, and nothing was changed.
        case checked
        /// It could not be reached, read or changed; `error` says why. The other hosts went on.
        case failed
    }

    public var host: FleetHost
    public var status: Status
    /// One action per object of the host's part; empty for a host that failed before its plan.
    public var actions: [TopologyAction]
    /// What could not be checked on the host because it is remote (its addresses and routes).
    public var unchecked: [String]
    /// Why the host failed; nil unless `status` is `failed`.
    public var error: VNetError?
    /// True when the host's plan needs a network restart, which is made only when allowed.
    public var needsRestart: Bool
    /// What applying the host's part leaves the user to know (the network hook installed on this machine).
    public var notes: [String]

    public init(host: FleetHost, status: Status, actions: [TopologyAction] = [], unchecked: [String] = [],
                error: VNetError? = nil, needsRestart: Bool = false, notes: [String] = []) {
        self.host = host
        self.status = status
        self.actions = actions
        self.unchecked = unchecked
        self.error = error
        self.needsRestart = needsRestart
        self.notes = notes
    }
}
