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
    /// domain of `inventory` records.
    static func plan(_ spec: VMSpec, inventory: Inventory, on connection: Connection) throws(VNetError) -> DiskOverlay? {
        guard let base = spec.settings["disk.base"] else { return nil }
        switch spec.settings["disk.transient"] {
        case "true": return nil
        case nil, "false": break
        case let other?:
            throw .invalid(.setting, "disk.transient=\(other): give true or false")
        }
        let (format, capacity) = try inspect(base: base)
        let poolName = spec.settings["disk.pool"] ?? defaultPool
        let pool = try LibvirtLookup.storagePool(named: poolName, on: connection)
        let active: Bool, type: String, target: String?
        do {
            active = try pool.isActive
            let xml = try XMLDocument(string: try pool.xml(), source: "storage pool \(poolName)")
            type = try xml.string("/pool/@type") ?? "?"
            target = try xml.string("/pool/target/path")
        } catch {
            throw VNetError.from(error)
        }
        guard active else {
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
        if let volume = try LibvirtLookup.existingVolume(named: name, in: pool) {
            guard try overlay.isLeftover(volume, inventory: inventory) else {
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
    private func isLeftover(_ volume: StorageVolume, inventory: Inventory) throws(VNetError) -> Bool {
        let recorded = inventory.domains.contains { entry in
            entry.configs.contains { $0.metadata?.overlay == path || $0.disks.contains { $0.sourceFile == path } }
        }
        guard !recorded else { return false }
        do {
            let xml = try XMLDocument(string: try volume.xml(), source: "volume \(name)")
            return try volume.path == path && xml.string("/volume/target/format/@type") == "qcow2"
                && xml.string("/volume/capacity") == String(capacity)
                && xml.string("/volume/backingStore/path") == base
                && xml.string("/volume/backingStore/format/@type") == baseFormat
        } catch {
            throw VNetError.from(error)
        }
    }

    /// The base image's format and virtual size: a qcow2 header says both (magic `QFI\xfb`, size
    /// at byte 24, big-endian); anything else is taken as raw, as large as its file.
    static func inspect(base: String) throws(VNetError) -> (format: String, capacity: UInt64) {
        guard base.hasPrefix("/") else {
            throw .invalid(.setting, "disk.base=\(base): give the base image's absolute path")
        }
        guard let handle = FileHandle(forReadingAtPath: base) else {
            let reason = FileManager.default.fileExists(atPath: base) ? "cannot be read" : "does not exist"
            throw .invalid(.setting, "disk.base=\(base): the base image \(reason); give a readable qcow2 or raw image")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 32)) ?? Data())
        if header.count == 32, header.starts(with: [0x51, 0x46, 0x49, 0xfb]) {
            return ("qcow2", header[24..<32].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        let size = (try? handle.seekToEnd()) ?? 0
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
