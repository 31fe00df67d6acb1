/// What `apply` does (or, with `--check`, would do) to one object of the topology.
public struct TopologyAction: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case network, vm
    }

    public enum Outcome: String, Sendable, Codable {
        /// The object is new and gets defined (and started, as the file says).
        case created
        /// Reservations, DHCP range or run state change without a restart.
        case updatedLive = "updated live"
        /// Changes that need the network stopped and defined again; not made.
        case restartNeeded = "restart needed"
        case unchanged
        /// Stopped and undefined by `teardown`.
        case removed
    }

    public var kind: Kind
    public var name: String
    public var outcome: Outcome
    /// What changes, one short phrase each (`+host 52:54:00:…,10.123.4.20,web1`, `subnet … → …`).
    public var changes: [String]
    /// For a restart: the VMs that would lose connectivity.
    public var affectedVMs: [String]

    public var changed: Bool { outcome == .created || outcome == .updatedLive || outcome == .removed }

    /// One line, as `apply` prints it.
    public var line: String {
        var text = "\(kind) \(name): \(outcome.rawValue)"
        if !changes.isEmpty { text += " (\(changes.joined(separator: "; ")))" }
        if !affectedVMs.isEmpty { text += "; VMs that would lose connectivity: \(affectedVMs.joined(separator: ", "))" }
        return text
    }
}
