import Libvirt

/// Looks up networks, domains and storage by name, with a message that names what was missing.
///
/// libvirt's own message for a missing object does not always name it (the test driver says
/// only "Domain not found").
public enum LibvirtLookup {
    public static func network(named name: String, on connection: Connection) throws(VNetError) -> Network {
        try find(.noNetwork, { try connection.network(named: name) }) { () throws(VNetError) in
            throw VNetError(.invalidInput, "no network named '\(name)'; 'vnetctl list networks' shows what exists", code: .notFound)
        }
    }

    public static func domain(named name: String, on connection: Connection) throws(VNetError) -> Domain {
        try find(.noDomain, { try connection.domain(named: name) }) { () throws(VNetError) in
            throw VNetError(.invalidInput, "no VM named '\(name)'; 'vnetctl list vms' shows what exists", code: .notFound)
        }
    }

    /// The storage pool for VM disk overlays (the setting `disk.pool`).
    public static func storagePool(named name: String, on connection: Connection) throws(VNetError) -> StoragePool {
        try find(.noStoragePool, { try connection.storagePool(named: name) }) { () throws(VNetError) in
            throw .invalid(
                .setting, "disk.pool=\(name): no storage pool named '\(name)' for the VM's disk overlay; create one "
                    + "('virsh pool-define-as \(name) dir --target /var/lib/libvirt/images && virsh pool-start \(name)') "
                    + "or set disk.pool to another")
        }
    }

    /// The network named `name`, or nil when there is none; other failures still throw.
    public static func existingNetwork(named name: String, on connection: Connection) throws(VNetError) -> Network? {
        try find(.noNetwork, { try connection.network(named: name) }) { nil }
    }

    /// The domain named `name`, or nil when there is none; other failures still throw.
    public static func existingDomain(named name: String, on connection: Connection) throws(VNetError) -> Domain? {
        try find(.noDomain, { try connection.domain(named: name) }) { nil }
    }

    /// The volume named `name` in `pool`, or nil when there is none; other failures still throw.
    /// The pool is refreshed first where the connection may (not read-only), so that files made
    /// outside libvirt count.
    public static func existingVolume(named name: String, in pool: StoragePool) throws(VNetError) -> StorageVolume? {
        try? pool.refresh()
        return try find(.noStorageVolume, { try pool.volume(named: name) }) { nil }
    }

    /// The volume, in any pool, whose file is `path`, or nil when libvirt knows none there.
    public static func existingVolume(path: String, on connection: Connection) throws(VNetError) -> StorageVolume? {
        try find(.noStorageVolume, { try connection.storageVolume(path: path) }) { nil }
    }

    /// Runs `lookup`; libvirt's "no such object" error (`missing`) becomes whatever `whenMissing`
    /// returns or throws, any other failure a `VNetError`.
    private static func find<T>(
        _ missing: LibvirtError.Code, _ lookup: () throws -> T, whenMissing: () throws(VNetError) -> T
    ) throws(VNetError) -> T {
        do {
            return try lookup()
        } catch let error as LibvirtError where error.code == missing {
            return try whenMissing()
        } catch {
            throw VNetError.from(error)
        }
    }
}
