import Libvirt

/// Looks up networks, domains and storage by name, with a message that names what was missing.
///
/// libvirt's own message for a missing object does not always name it (the test driver says
/// only "Domain not found").
public enum LibvirtLookup {
    public static func network(named name: String, on connection: Connection) throws(VNetError) -> Network {
        do {
            return try connection.network(named: name)
        } catch let error as LibvirtError where error.code == .noNetwork {
            throw .invalidInput("no network named '\(name)'; 'vnetctl list networks' shows what exists")
        } catch {
            throw VNetError.from(error)
        }
    }

    public static func domain(named name: String, on connection: Connection) throws(VNetError) -> Domain {
        do {
            return try connection.domain(named: name)
        } catch let error as LibvirtError where error.code == .noDomain {
            throw .invalidInput("no VM named '\(name)'; 'vnetctl list vms' shows what exists")
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The storage pool for VM disk overlays (`--set disk.pool`).
    public static func storagePool(named name: String, on connection: Connection) throws(VNetError) -> StoragePool {
        do {
            return try connection.storagePool(named: name)
        } catch let error as LibvirtError where error.code == .noStoragePool {
            throw .invalidInput(
                "no storage pool named '\(name)' for the VM's disk overlay; create one ('virsh pool-define-as \(name) dir "
                    + "--target /var/lib/libvirt/images && virsh pool-start \(name)') or give another with --set disk.pool=NAME")
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The volume named `name` in `pool`, or nil when there is none; other failures still throw.
    /// The pool is refreshed first where the connection may (not read-only), so that files made
    /// outside libvirt count.
    public static func existingVolume(named name: String, in pool: StoragePool) throws(VNetError) -> StorageVolume? {
        do {
            try? pool.refresh()
            return try pool.volume(named: name)
        } catch let error as LibvirtError where error.code == .noStorageVolume {
            return nil
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The network named `name`, or nil when there is none; other failures still throw.
    public static func existingNetwork(named name: String, on connection: Connection) throws(VNetError) -> Network? {
        do {
            return try connection.network(named: name)
        } catch let error as LibvirtError where error.code == .noNetwork {
            return nil
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The domain named `name`, or nil when there is none; other failures still throw.
    public static func existingDomain(named name: String, on connection: Connection) throws(VNetError) -> Domain? {
        do {
            return try connection.domain(named: name)
        } catch let error as LibvirtError where error.code == .noDomain {
            return nil
        } catch {
            throw VNetError.from(error)
        }
    }
}
