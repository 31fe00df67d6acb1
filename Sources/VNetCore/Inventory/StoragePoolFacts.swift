import Libvirt
import LibXML

/// A storage pool as a VM's disk overlay needs it, read with the inventory: its state, type and
/// directory, and the volumes the command asked about.
public struct StoragePoolFacts: Sendable, Equatable {
    /// A volume of the pool: its file, format and size, and what backs it.
    public struct Volume: Sendable, Equatable {
        public var path: String
        public var format: String?
        /// In bytes, as the volume XML writes it.
        public var capacity: String?
        public var backingPath: String?
        public var backingFormat: String?

        public init(path: String, format: String?, capacity: String?, backingPath: String?, backingFormat: String?) {
            self.path = path
            self.format = format
            self.capacity = capacity
            self.backingPath = backingPath
            self.backingFormat = backingFormat
        }
    }

    public var name: String
    public var active: Bool
    /// libvirt's pool type: dir, fs, netfs, logical, ….
    public var type: String
    /// The pool's directory (`<target><path>`).
    public var directory: String?
    /// The asked-about volumes that exist, by name; one that is missing is not here.
    public var volumes: [String: Volume]

    public init(name: String, active: Bool, type: String, directory: String?, volumes: [String: Volume] = [:]) {
        self.name = name
        self.active = active
        self.type = type
        self.directory = directory
        self.volumes = volumes
    }

    /// Pool `name` with those of `volumes` it has, or nil when there is no such pool. The pool is
    /// refreshed first where the connection may (not read-only), so that files made outside
    /// libvirt count.
    static func read(named name: String, volumes: Set<String>, on connection: Connection) throws -> StoragePoolFacts? {
        let pool: StoragePool
        do throws(LibvirtError) {
            pool = try connection.storagePool(named: name)
        } catch {
            guard error.code == .noStoragePool else { throw error }
            return nil
        }
        let xml = try XMLDocument(string: try pool.xml(), source: "storage pool \(name)")
        var facts = StoragePoolFacts(
            name: name, active: try pool.isActive, type: try xml.string("/pool/@type") ?? "?", directory: try xml.string("/pool/target/path"))
        if !volumes.isEmpty { try? pool.refresh() }
        for volumeName in volumes.sorted() {
            let volume: StorageVolume
            do throws(LibvirtError) {
                volume = try pool.volume(named: volumeName)
            } catch {
                guard error.code == .noStorageVolume else { throw error }
                continue
            }
            let document = try XMLDocument(string: try volume.xml(), source: "volume \(volumeName)")
            facts.volumes[volumeName] = Volume(
                path: try volume.path, format: try document.string("/volume/target/format/@type"),
                capacity: try document.string("/volume/capacity"), backingPath: try document.string("/volume/backingStore/path"),
                backingFormat: try document.string("/volume/backingStore/format/@type"))
        }
        return facts
    }
}
