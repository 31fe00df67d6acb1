/// What `apply` does (or, with `--check`, would do) to one object of the topology.
public struct TopologyAction: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CustomStringConvertible {
        case network, vm

        /// The name, as `apply` prints it; spelled out so that printing needs no reflection.
        public var description: String { rawValue }
    }

    public enum Outcome: String, Sendable, Codable {
        /// The object is new and gets defined (and started, as the file says).
        case created
        /// Reservations, DHCP range or run state change without a restart.
        case updatedLive = "updated live"
        /// Changes that need the network stopped and defined again; not made.
        case restartNeeded = "restart needed"
        /// The same changes, made because restarts were allowed.
        case restarted
        case unchanged
        /// Stopped and undefined by `teardown`.
        case removed
        /// Named by the file but kept by `teardown`: not made by its topology, or in use; `changes` says why.
        case leftAlone = "left alone"
    }

    public var kind: Kind
    public var name: String
    public var outcome: Outcome
    /// What changes, one short phrase each (`+host 52:54:00:…,10.123.4.20,web1`, `subnet … → …`).
    public var changes: [String]
    /// For a restart: the VMs that would lose connectivity.
    public var affectedVMs: [String]
    /// The object's config before and after, one setting per line, for `--diff` and Ansible's diff mode.
    public var before: String = ""
    public var after: String = ""

    public init(kind: Kind, name: String, outcome: Outcome, changes: [String] = [], affectedVMs: [String] = [],
                before: String = "", after: String = "") {
        self.kind = kind
        self.name = name
        self.outcome = outcome
        self.changes = changes
        self.affectedVMs = affectedVMs
        self.before = before
        self.after = after
    }

    /// The lines that differ between `before` and `after`, as `-old` and `+new`.
    public var diff: [String] {
        let old = before.split(separator: "\n").map(String.init), new = after.split(separator: "\n").map(String.init)
        return old.filter { !new.contains($0) }.map { "-\($0)" } + new.filter { !old.contains($0) }.map { "+\($0)" }
    }

    public var changed: Bool { [.created, .updatedLive, .restarted, .removed].contains(outcome) }

    /// One line, as `apply` prints it.
    public var line: String {
        var text = "\(kind) \(name): \(outcome.rawValue)"
        if !changes.isEmpty { text += " (\(changes.joined(separator: "; ")))" }
        if !affectedVMs.isEmpty {
            let label = outcome == .restarted ? "VMs on it, re-plugged if running" : "VMs that would lose connectivity"
            text += "; \(label): \(affectedVMs.joined(separator: ", "))"
        }
        return text
    }
}
