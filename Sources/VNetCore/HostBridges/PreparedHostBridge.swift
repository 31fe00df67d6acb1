import HostNet

/// A `host-bridge create` or `delete` that has been checked and planned but not yet run.
public struct PreparedHostBridge: Sendable {
    /// One persistent configuration file, as it would be written.
    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var contents: String
    }

    public var name: String
    public var uplink: String?
    /// Each change to the live host, in order, in words.
    public var steps: [String]
    /// The network manager the configuration is for (`networkd`, `ifupdown`, `nm`, `ifcfg`, `none`).
    public var persistence: String
    /// Whether `persistence` was detected from the host rather than given.
    public var persistenceDetected: Bool
    /// The files create would write; for delete, the files that exist and would be removed.
    public var files: [File]

    let plan: HostBridgePlan
    let configFiles: [HostBridgeConfigFile]
    let root: String
    /// The record written before the first change: read back from a cut-off run when `resumed`.
    let intent: HostBridgeIntent
    /// Whether a cut-off run's record is being carried out instead of a plan read from the host now.
    let resumed: Bool
}
