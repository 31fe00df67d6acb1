import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// A libvirt storage pool: a place (a directory, for the pools vnetctl uses) that holds volumes.
///
/// `@unchecked Sendable` because libvirt storage objects are safe to use from many threads at once.
/// It keeps its `Connection` open for as long as it lives.
public final class StoragePool: @unchecked Sendable {
    let pointer: OpaquePointer
    let connection: Connection

    /// The pool's name, which libvirt never changes for an existing pool.
    public let name: String

    /// Takes ownership of one reference to a libvirt storage pool.
    init(_ pointer: OpaquePointer, connection: Connection) {
        self.pointer = pointer
        self.connection = connection
        name = String(cString: virStoragePoolGetName(pointer))
    }

    deinit {
        virStoragePoolFree(pointer)
    }

    /// Whether the pool is started, so its volumes can be created and used.
    public var isActive: Bool {
        get throws(LibvirtError) { try check(virStoragePoolIsActive(pointer), "virStoragePoolIsActive") == 1 }
    }

    /// The pool's XML (type, target path, capacity).
    public func xml() throws(LibvirtError) -> String {
        try takeString(virStoragePoolGetXMLDesc(pointer, 0), "virStoragePoolGetXMLDesc")
    }

    /// Re-reads the pool's contents, so volumes made outside libvirt (files in its directory) appear.
    public func refresh() throws(LibvirtError) {
        try check(virStoragePoolRefresh(pointer, 0), "virStoragePoolRefresh")
    }

    /// The volume called `name` in this pool.
    public func volume(named name: String) throws(LibvirtError) -> StorageVolume {
        StorageVolume(try check(virStorageVolLookupByName(pointer, name), "virStorageVolLookupByName"), connection: connection)
    }

    /// Every volume in the (started) pool.
    public func volumes() throws(LibvirtError) -> [StorageVolume] {
        var volumes: UnsafeMutablePointer<virStorageVolPtr?>?
        let count = try check(virStoragePoolListAllVolumes(pointer, &volumes, 0), "virStoragePoolListAllVolumes")
        defer { free(volumes) }
        return (0..<Int(count)).map { StorageVolume(volumes![$0]!, connection: connection) }
    }

    /// Creates a volume from its XML; for a qcow2 volume with a `<backingStore>`, libvirt writes
    /// an overlay whose unwritten blocks read from the backing file.
    public func createVolume(xml: String) throws(LibvirtError) -> StorageVolume {
        StorageVolume(try check(virStorageVolCreateXML(pointer, xml, 0), "virStorageVolCreateXML"), connection: connection)
    }
}

extension Connection {
    /// Every storage pool, started or not.
    public func storagePools() throws(LibvirtError) -> [StoragePool] {
        var pools: UnsafeMutablePointer<virStoragePoolPtr?>?
        let count = try check(virConnectListAllStoragePools(pointer, &pools, 0), "virConnectListAllStoragePools")
        defer { free(pools) }
        return (0..<Int(count)).map { StoragePool(pools![$0]!, connection: self) }
    }

    public func storagePool(named name: String) throws(LibvirtError) -> StoragePool {
        StoragePool(try check(virStoragePoolLookupByName(pointer, name), "virStoragePoolLookupByName"), connection: self)
    }

    /// The volume, in any pool, whose file is at `path`.
    public func storageVolume(path: String) throws(LibvirtError) -> StorageVolume {
        StorageVolume(try check(virStorageVolLookupByPath(pointer, path), "virStorageVolLookupByPath"), connection: self)
    }
}
