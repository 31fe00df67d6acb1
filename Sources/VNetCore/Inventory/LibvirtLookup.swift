import Libvirt

/// Looks up networks, domains and storage by name, with a message that names what was missing.
///
/// libvirt's own message for a missing object does not always name it (the test driver says
/// only "Domain not found").
public enum LibvirtLookup {
    public static func network(named name: String, on connection: Connection) throws(VNetError) -> Network {
        try find(.noNetwork, { () throws(LibvirtError) in try connection.network(named: name) }) { cause throws(VNetError) in
            throw VNetError.naming(
                .invalidInput, "no network named '\(name)'; '", OperationAction(.list, .network), then: "' shows what exists",
                code: .notFound, cause: cause)
        }
    }

    public static func domain(named name: String, on connection: Connection) throws(VNetError) -> Domain {
        try find(.noDomain, { () throws(LibvirtError) in try connection.domain(named: name) }) { cause throws(VNetError) in
            throw VNetError.naming(
                .invalidInput, "no VM named '\(name)'; '", OperationAction(.list, .vm), then: "' shows what exists",
                code: .notFound, cause: cause)
        }
    }

    /// The storage pool for VM disk overlays (the setting `disk.pool`).
    public static func storagePool(named name: String, on connection: Connection) throws(VNetError) -> StoragePool {
        try find(.noStoragePool, { () throws(LibvirtError) in try connection.storagePool(named: name) }) { cause throws(VNetError) in
            throw missingStoragePool(name, cause: cause)
        }
    }

    /// The refusal of a disk overlay's storage pool `name` that does not exist; `cause` is libvirt's error, when it said so.
    static func missingStoragePool(_ name: String, cause: LibvirtError? = nil) -> VNetError {
        var error = VNetError.invalid(
            .setting, "disk.pool=\(name): no storage pool named '\(name)' for the VM's disk overlay; create one "
                + "('virsh pool-define-as \(name) dir --target /var/lib/libvirt/images && virsh pool-start \(name)') "
                + "or set disk.pool to another")
        error.code = .notFound
        error.cause = cause
        return error
    }

    /// The network named `name`, or nil when there is none; other failures still throw.
    public static func existingNetwork(named name: String, on connection: Connection) throws(VNetError) -> Network? {
        try find(.noNetwork, { () throws(LibvirtError) in try connection.network(named: name) }) { _ in nil }
    }

    /// The domain named `name`, or nil when there is none; other failures still throw.
    public static func existingDomain(named name: String, on connection: Connection) throws(VNetError) -> Domain? {
        try find(.noDomain, { () throws(LibvirtError) in try connection.domain(named: name) }) { _ in nil }
    }

    /// The volume named `name` in `pool`, or nil when there is none; other failures still throw.
    /// The pool is refreshed first where the connection may (not read-only), so that files made
    /// outside libvirt count.
    public static func existingVolume(named name: String, in pool: StoragePool) throws(VNetError) -> StorageVolume? {
        try? pool.refresh()
        return try find(.noStorageVolume, { () throws(LibvirtError) in try pool.volume(named: name) }) { _ in nil }
    }

    /// The volume, in any pool, whose file is `path`, or nil when libvirt knows none there.
    public static func existingVolume(path: String, on connection: Connection) throws(VNetError) -> StorageVolume? {
        try find(.noStorageVolume, { () throws(LibvirtError) in try connection.storageVolume(path: path) }) { _ in nil }
    }

    /// Runs `lookup`; libvirt's "no such object" error (`missing`) becomes whatever `whenMissing`
    /// returns or throws for it, any other failure a `VNetError`.
    private static func find<T>(
        _ missing: LibvirtError.Code, _ lookup: () throws(LibvirtError) -> T, whenMissing: (LibvirtError) throws(VNetError) -> T
    ) throws(VNetError) -> T {
        do {
            return try lookup()
        } catch {
            guard error.code == missing else { throw VNetError.from(error) }
            return try whenMissing(error)
        }
    }
}
