import Foundation
import HostNet

/// The record of a `host-bridge create` or `delete` under way: written before its first change to
/// the host, removed after its last, at `/run/vnetctl/host-bridges/BRIDGE.json` under
/// ``HostBridgeSetup/persistRoot``.
///
/// A run cut off by a kill leaves it behind with the plan it was carrying out. The next `create`
/// of that bridge with the same options finishes the plan, `delete` undoes it (or finishes a
/// cut-off delete), and `leftovers` names it. It lives in `/run` as the kernel state it describes
/// does: a reboot clears both.
struct HostBridgeIntent: Codable, Equatable {
    enum Action: String, Codable {
        case create, delete
    }

    var action: Action
    /// What `create` was asked, which tells a rerun of the same command from another one.
    var request: HostBridgeRequest?
    /// The network manager the files are for; "" for delete.
    var persistence: String
    var plan: HostBridgePlan
    /// The persistent configuration `create` writes after the plan.
    var files: [HostBridgeConfigFile]

    /// The directory of the records, as an absolute path on the host.
    static let directory = "/run/vnetctl/host-bridges"

    private static let kind = BoundedFile.Kind(limit: 1 << 20, hint: "it is vnetctl's record of a cut-off host-bridge change; remove it")

    static func location(root: String) -> String {
        root == "/" || root.isEmpty ? directory : (root.hasSuffix("/") ? String(root.dropLast()) : root) + directory
    }

    static func path(_ bridge: String, root: String) -> String { location(root: root) + "/" + bridge + ".json" }

    /// The record for `bridge`, or nil when no change to it is under way; a record that cannot be
    /// read throws why, which ``unreadable(_:)`` turns into the failure to report.
    static func read(_ bridge: String, root: String) throws(VNetError) -> HostBridgeIntent? {
        let path = path(bridge, root: root)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try BoundedFile.read(path, as: kind)
        do {
            return try JSONDecoder().decode(HostBridgeIntent.self, from: Data(bytes))
        } catch {
            throw .failure("\(path) cannot be read (\(error.localizedDescription)); \(kind.hint)")
        }
    }

    /// The failure of a record that ``read(_:root:)`` could not read, for `why` (which ends by
    /// saying to remove it): it goes on to name the listing of the host's bridges, which each front end words.
    static func unreadable(_ why: String) -> VNetError {
        .naming(.failure, why + " and check '", OperationAction(.list, .hostBridge), then: "'")
    }

    /// Writes the record for the plan's bridge, through a temporary file and a rename, in a
    /// directory only root may enter.
    func write(root: String) throws(VNetError) {
        let path = Self.path(plan.bridge.name, root: root)
        do {
            try FileManager.default.createDirectory(
                atPath: Self.location(root: root), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .failure("cannot record the host-bridge change in \(path): \(error.localizedDescription); nothing was changed")
        }
    }

    /// Removes the record for `bridge`, once its change is complete or undone.
    static func remove(_ bridge: String, root: String) throws(VNetError) {
        let path = path(bridge, root: root)
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        } catch {
            throw .failure("cannot remove \(path): \(error.localizedDescription); remove it by hand")
        }
    }

    /// Bridge name → the path of its record (absolute on the host), for every record under `root`.
    static func all(root: String) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: location(root: root))) ?? []
        var found: [String: String] = [:]
        for name in names where name.hasSuffix(".json") {
            found[String(name.dropLast(".json".count))] = directory + "/" + name
        }
        return found
    }
}
