import Foundation
import Libvirt
import LibXML

/// The qcow2 overlay a VM's disk writes to: volume `VM.qcow2` in a libvirt storage pool, backed by
/// the base image (`--set disk.base=PATH`). The base is never written, several VMs can share it,
/// and each VM keeps its own writes across power-off until `undefine vm` deletes the overlay.
/// Being a libvirt volume, it shows in `virsh vol-list POOL` like any other.
///
/// `--set disk.pool=NAME` picks the pool (a directory pool; `default` when not given);
/// `--set disk.transient=true` asks for no overlay, and the template's `<transient/>` disk instead.
public struct DiskOverlay: Sendable, Equatable {
    /// The pool used when `disk.pool` is not set: the one virt-install and virt-manager create.
    public static let defaultPool = "default"

    public var pool: String
    /// The volume's name in the pool, `VM.qcow2`.
    public var name: String
    /// The overlay's file: the pool's directory and `name`.
    public var path: String
    public var base: String
    /// `qcow2` or `raw`, read from the base image's first bytes.
    public var baseFormat: String
    /// The base image's virtual size in bytes, which the overlay gets too.
    public var capacity: UInt64
    /// Whether the volume is already there, left by a `define vm` cut off after creating it, and
    /// is taken over instead of created (and never deleted if this define fails).
    public var adopted = false

    /// The overlay `spec` asks for, or nil when it sets no `disk.base` or sets `disk.transient=true`.
    /// Refuses, as invalid input, a base that cannot be read, a pool that is missing, stopped or not
    /// a directory, and a volume of the same name that already exists, unless that volume is one a
    /// cut-off define left: a qcow2 overlay of exactly the planned base, format and size that no
    /// domain of `inventory` records. The pool and the volume are `inventory`'s, read in the scope
    /// of ``volumes(for:)``.
    static func plan(_ spec: VMSpec, inventory: Inventory) throws(VNetError) -> DiskOverlay? {
        guard let base = spec.settings["disk.base"] else { return nil }
        switch spec.settings["disk.transient"] {
        case "true": return nil
        case nil, "false": break
        case let other?:
            throw .invalid(.setting, "disk.transient=\(other): give true or false")
        }
        let (format, capacity) = try inspect(base: base)
        let poolName = spec.settings["disk.pool"] ?? defaultPool
        guard let pool = inventory.storagePools[poolName] else { throw LibvirtLookup.missingStoragePool(poolName) }
        let type = pool.type, target = pool.directory
        guard pool.active else {
            throw .invalidInput(
                "storage pool '\(poolName)' for the VM's disk overlay is not started; run 'virsh pool-start \(poolName)'")
        }
        guard ["dir", "fs", "netfs"].contains(type), let directory = target else {
            throw .invalid(
                .setting, "disk.pool=\(poolName): storage pool '\(poolName)' is a \(type) pool; disk overlays are files, "
                    + "so set disk.pool to a directory pool")
        }
        let name = "\(spec.name).qcow2"
        var overlay = DiskOverlay(
            pool: poolName, name: name, path: URL(fileURLWithPath: directory).appendingPathComponent(name).path,
            base: base, baseFormat: format, capacity: capacity)
        if let volume = pool.volumes[name] {
            guard overlay.isLeftover(volume, inventory: inventory) else {
                throw .invalidInput(
                    "storage pool '\(poolName)' already has a volume '\(name)'; delete it ('virsh vol-delete \(name) --pool \(poolName)') "
                        + "or name the VM differently")
            }
            overlay.adopted = true
        }
        return overlay
    }

    /// Whether `volume` is this overlay as a cut-off define created it: at this path, qcow2, of
    /// this size, backed by this base in its format, and recorded by no domain.
    private func isLeftover(_ volume: StoragePoolFacts.Volume, inventory: Inventory) -> Bool {
        let recorded = inventory.domains.contains { entry in
            entry.configs.contains { $0.metadata?.overlay == path || $0.disks.contains { $0.sourceFile == path } }
        }
        return !recorded && volume.path == path && volume.format == "qcow2" && volume.capacity == String(capacity)
            && volume.backingPath == base && volume.backingFormat == baseFormat
    }

    /// The storage pools and volumes the overlays of `specs` use, for the inventory's scope.
    static func volumes(for specs: [VMSpec]) -> [String: Set<String>] {
        var volumes: [String: Set<String>] = [:]
        for spec in specs where spec.settings["disk.base"] != nil && spec.settings["disk.transient"] != "true" {
            volumes[spec.settings["disk.pool"] ?? defaultPool, default: []].insert("\(spec.name).qcow2")
        }
        return volumes
    }

    /// The base image's format and virtual size: a qcow2 header says both (magic `QFI\xfb`, size
    /// at byte 24, big-endian); anything else is taken as raw, as large as its file.
    static func inspect(base: String) throws(VNetError) -> (format: String, capacity: UInt64) {
        guard base.hasPrefix("/") else {
            throw .invalid(.setting, "disk.base=\(base): give the base image's absolute path")
        }
        guard let file = StandardStreams.head(ofFile: base, count: 32) else {
            let reason = FileManager.default.fileExists(atPath: base) ? "cannot be read" : "does not exist"
            throw .invalid(.setting, "disk.base=\(base): the base image \(reason); give a readable qcow2 or raw image")
        }
        let header = file.bytes
        if header.count == 32, header.starts(with: [0x51, 0x46, 0x49, 0xfb]) {
            return ("qcow2", header[24..<32].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        let size = file.size
        guard size > 0 else {
            throw .invalid(.setting, "disk.base=\(base): the base image is empty; give a qcow2 or raw image")
        }
        return ("raw", size)
    }

    /// The volume XML libvirt creates the overlay from.
    var volumeXML: String {
        let document = try! XMLDocument(string: "<volume type='file'/>")
        let volume = document.root!
        volume.addChild("name", text: name)
        volume.addChild("capacity", text: String(capacity)).setAttribute("unit", "bytes")
        let target = volume.addChild("target")
        target.addChild("format").setAttribute("type", "qcow2")
        target.addChild("compat", text: "1.1")  // qcow2 v3; libvirt would write v2 (compat 0.10)
        let backing = volume.addChild("backingStore")
        backing.addChild("path", text: base)
        backing.addChild("format").setAttribute("type", baseFormat)
        return document.serialized()
    }

    /// Creates the overlay volume.
    func create(on connection: Connection) throws(VNetError) {
        do {
            _ = try connection.storagePool(named: pool).createVolume(xml: volumeXML)
        } catch {
            throw .failure(
                "creating the disk overlay \(path) on \(base) failed: \(VNetError.from(error).message)")
        }
    }

    /// Deletes the overlay volume at `path`, if libvirt knows one there.
    static func delete(path: String, on connection: Connection) throws(VNetError) {
        guard let volume = try LibvirtLookup.existingVolume(path: path, on: connection) else { return }
        do {
            try volume.delete()
        } catch {
            throw .failure("deleting the disk overlay \(path) failed: \(VNetError.from(error).message)")
        }
    }
}
