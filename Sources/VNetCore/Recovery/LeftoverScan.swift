import Foundation
import HostNet
import Libvirt
import LibXML

extension Leftovers {
    /// Reads what the check needs on `connection` (networks, domains, host links, the volumes of
    /// every started pool, and, on a local connection, the marked bridge files under
    /// `HostBridgeSetup.persistRoot`) and finds the leftovers. Changes nothing.
    public static func scan(_ connection: Connection) throws(VNetError) -> Leftovers {
        let inventory = try Inventory.read(connection, Inventory.Scope(.all, hostIdentity: false))
        let volumes = try self.volumes(on: connection)
        let bridges = inventory.host.remote ? [:] : markedBridges(root: HostBridgeSetup.persistRoot)
        return find(in: inventory, volumes: volumes, markedBridges: bridges)
    }

    /// Every volume of every started storage pool, with its format and backing file.
    static func volumes(on connection: Connection) throws(VNetError) -> [Volume] {
        do {
            var found: [Volume] = []
            for pool in try connection.storagePools() where try pool.isActive {
                for volume in try pool.volumes() {
                    // A volume another process deleted since the list call is gone, not an error.
                    let text: String, path: String
                    do {
                        text = try volume.xml()
                        path = try volume.path
                    } catch {
                        guard error.code == .noStorageVolume else { throw error }
                        continue
                    }
                    let xml = try XMLDocument(string: text, source: "volume \(volume.name)")
                    found.append(Volume(
                        pool: pool.name, name: volume.name, path: path,
                        format: try xml.string("/volume/target/format/@type"), backing: try xml.string("/volume/backingStore/path")))
                }
            }
            return found
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Bridge name → the files under `root` in any network manager's directory whose first line is
    /// vnetctl's marker for that bridge, and the record a cut-off `host-bridge create` or `delete`
    /// left (``HostBridgeIntent``), as absolute paths on the host.
    static func markedBridges(root: String) -> [String: [String]] {
        let prefix = "# Written by vnetctl for host bridge "
        var found: [String: [String]] = [:]
        for directory in HostBridgePersistence.allCases.flatMap(\.directories) {
            let full = root == "/" || root.isEmpty ? directory : (root.hasSuffix("/") ? String(root.dropLast()) : root) + directory
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted()
            where !name.hasSuffix(HostBridgeConfigFile.backupSuffix) {
                guard let file = StandardStreams.head(ofFile: full + "/" + name, count: 512) else { continue }
                let head = String(decoding: file.bytes, as: UTF8.self)
                guard head.hasPrefix(prefix), let end = head.dropFirst(prefix.count).firstIndex(of: ";") else { continue }
                let bridge = String(head[head.index(head.startIndex, offsetBy: prefix.count)..<end])
                guard head.hasPrefix(HostBridgeConfigFile.marker(bridge)) else { continue }
                found[bridge, default: []].append(directory + "/" + name)
            }
        }
        for (bridge, record) in HostBridgeIntent.all(root: root) { found[bridge, default: []].append(record) }
        return found
    }
}
