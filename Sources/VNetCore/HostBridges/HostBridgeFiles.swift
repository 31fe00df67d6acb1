import HostNet

/// What planning a host bridge reads from files, read with the host's facts
/// (``Inventory/Scope/hostBridges``): the records of cut-off host-bridge changes
/// (``HostBridgeIntent``), the network manager detected on the host, and the first line of each
/// file where persistent configuration goes.
public struct HostBridgeFiles: Sendable, Codable, Equatable {
    /// The directory standing in for `/` that they were read under (``HostBridgeSetup/persistRoot``).
    public var root: String
    /// The network manager `--persist` defaults to.
    public var detected: HostBridgePersistence
    /// Path on the host (`/etc/…`) → that file's first line, for every file in the persistence
    /// targets' directories.
    public var firstLines: [String: String]
    /// Bridge name → the record its cut-off `create` or `delete` left.
    var records: [String: HostBridgeIntent] = [:]
    /// Bridge name → why its record cannot be read, said when that bridge is planned.
    var unreadableRecords: [String: String] = [:]

    public init(root: String = "/", detected: HostBridgePersistence = .none, firstLines: [String: String] = [:]) {
        self.root = root
        self.detected = detected
        self.firstLines = firstLines
    }

    /// The bridges whose cut-off `host-bridge create` or `delete` left its record.
    public var unfinishedBridges: Set<String> { Set(records.keys).union(unreadableRecords.keys) }

    /// Reads them under `root`.
    static func read(root: String) -> HostBridgeFiles {
        var files = HostBridgeFiles(
            root: root, detected: HostBridgePersistence.detect(root: root), firstLines: HostBridgeConfig.firstLines(root: root))
        for bridge in HostBridgeIntent.all(root: root).keys {
            do {
                files.records[bridge] = try HostBridgeIntent.read(bridge, root: root)
            } catch {
                files.unreadableRecords[bridge] = error.message
            }
        }
        return files
    }

    /// The record of `bridge`, nil when no change to it is under way; throws when it cannot be read.
    func record(_ bridge: String) throws(VNetError) -> HostBridgeIntent? {
        if let why = unreadableRecords[bridge] { throw HostBridgeIntent.unreadable(why) }
        return records[bridge]
    }
}
