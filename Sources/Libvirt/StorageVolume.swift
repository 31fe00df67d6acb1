import CLibvirt

/// A volume in a libvirt storage pool: for vnetctl, the qcow2 overlay a VM's disk writes to.
///
/// `@unchecked Sendable` because libvirt storage objects are safe to use from many threads at once.
/// It keeps its `Connection` open for as long as it lives.
public final class StorageVolume: @unchecked Sendable {
    let pointer: OpaquePointer
    let connection: Connection

    /// The volume's name within its pool (for a directory pool, the file name).
    public let name: String

    /// Takes ownership of one reference to a libvirt storage volume.
    init(_ pointer: OpaquePointer, connection: Connection) {
        self.pointer = pointer
        self.connection = connection
        name = String(cString: virStorageVolGetName(pointer))
    }

    deinit {
        virStorageVolFree(pointer)
    }

    /// The volume's file on the host.
    public var path: String {
        get throws(LibvirtError) { try takeString(virStorageVolGetPath(pointer), "virStorageVolGetPath") }
    }

    /// The volume's XML (capacity, format, backing store).
    public func xml() throws(LibvirtError) -> String {
        try takeString(virStorageVolGetXMLDesc(pointer, 0), "virStorageVolGetXMLDesc")
    }

    /// Deletes the volume and its file.
    public func delete() throws(LibvirtError) {
        try check(virStorageVolDelete(pointer, 0), "virStorageVolDelete")
    }
}
