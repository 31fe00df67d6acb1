import Foundation
import Testing
import TestSupport

/// A directory storage pool `vnt-pool-ID` in a temporary folder, holding nothing but what a test
/// makes, and a 64 MiB qcow2 base image beside it whose bytes at 1 MiB are 0x5a. Removed with
/// everything in it.
final class OverlayLab {
    let name: String
    let directory: URL
    let base: String
    let network: LabNetwork

    init() throws {
        let id = NetObjectNames.id()
        name = "vnt-pool-\(id)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        base = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-base-\(id).qcow2").path
        network = try LabNetwork.make(model: .isolated)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Virsh.output(["pool-define-as", name, "dir", "--target", directory.path])
            try Virsh.output(["pool-start", name])
            try Command.output(["qemu-img", "create", "-q", "-f", "qcow2", base, "64M"])
            try Command.output(["qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 64k", base])
        } catch {
            remove()
            throw error
        }
    }

    /// The file an overlay for VM `vm` gets in this pool.
    func overlay(_ vm: String) -> String { directory.appendingPathComponent("\(vm).qcow2").path }

    /// `virsh vol-list` of the pool: volume names.
    func volumes() throws -> [String] {
        try Virsh.output(["pool-refresh", name])
        return try Virsh.output(["vol-list", name]).split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// True when `qemu-io` reads `pattern` (one byte, e.g. `0xab`) in 64 KiB at `offset` of `image`.
    static func holds(_ image: String, pattern: String, at offset: String) throws -> Bool {
        let result = try Command.run(["qemu-io", "-r", "-U", "-f", "qcow2", "-c", "read -P \(pattern) \(offset) 64k", image])
        return result.status == 0 && result.stdout.contains("read 65536/65536")
            && !result.stdout.contains("Pattern verification failed")
    }

    func remove() {
        _ = try? Virsh.run(["pool-destroy", name])
        _ = try? Virsh.run(["pool-undefine", name])
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: base)
        network.remove()
    }
}

/// `define vm --template disk --set disk.base=…`: vnetctl creates a qcow2 overlay volume through
/// libvirt's storage API, the guest writes to it, the writes outlive a power-off, the base is never
/// written, and `undefine vm` deletes the overlay. Proven with virsh, qemu-img, qemu-io and QEMU's
/// own monitor, never through vnetctl.
@Suite(.onTestThreads, .serialized) struct DiskOverlayTests {
    static func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try VNetCtlBinary.run(["-c", Virsh.uri] + arguments)
    }

    static func define(_ vm: String, _ lab: OverlayLab, extra: [String] = []) throws -> CommandResult {
        try vnetctl([
            "define", "vm", vm, "--network", lab.network.name, "--template", "disk", "--memory", "128MiB",
            "--set", "virtType=qemu", "--set", "disk.base=\(lab.base)", "--set", "disk.pool=\(lab.name)",
        ] + extra)
    }

    /// The first disk of `vnetctl --json show vm VM`.
    static func shownDisk(_ vm: String) throws -> [String: Any] {
        let result = try vnetctl(["--json", "show", "vm", vm])
        try #require(result.status == 0, "\(result)")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let disks = try #require(details["disks"] as? [[String: Any]], "\(result.stdout)")
        try #require(disks.count == 1, "\(result.stdout)")
        return disks[0]
    }

    /// Runs `body` with a fresh lab and a unique VM name, then removes the VM (if made) and the lab.
    static func withLab(_ body: (OverlayLab, String) throws -> Void) throws {
        let lab = try OverlayLab()
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            lab.remove()
        }
        let vm = TestNames.unique("disk")
        cleanup.track(vm)
        try body(lab, vm)
    }

    @Test func theGuestWritesToItsOwnOverlayWhichOutlivesPowerOffAndGoesWithTheVM() throws {
        try Self.withLab { lab, vm in
            let baseSum = try Command.output(["sha256sum", lab.base])
            let result = try Self.define(vm, lab, extra: ["--start"])
            #expect(result.status == 0, "\(result)")
            let overlay = lab.overlay(vm)

            // A libvirt volume, a qcow2 file backed by the base, as large as the base.
            #expect(try lab.volumes() == ["\(vm).qcow2"])
            let info = try #require(
                try JSONSerialization.jsonObject(with: Data(Command.output(["qemu-img", "info", "-U", "--output=json", overlay]).utf8))
                    as? [String: Any])
            #expect(info["format"] as? String == "qcow2")
            #expect(info["backing-filename"] as? String == lab.base)
            #expect(info["backing-filename-format"] as? String == "qcow2")
            #expect((info["virtual-size"] as? NSNumber)?.int64Value == 64 << 20)

            // The domain's disk is the overlay, not a transient one, and QEMU opened it over the base.
            let xml = try VirshDomains.xml(vm, inactive: true)
            #expect(xml.contains("<source file='\(overlay)'"), "\(xml)")
            #expect(!xml.contains("<transient"), "\(xml)")
            let block = try Virsh.output(["qemu-monitor-command", vm, "--hmp", "info block"])
            #expect(block.contains("\(overlay) (qcow2)"), "\(block)")
            #expect(block.contains("Backing file:     \(lab.base)"), "\(block)")
            let shown = try Self.shownDisk(vm)
            #expect(shown["source"] as? String == overlay && shown["backing"] as? String == lab.base, "\(shown)")
            #expect(shown["overlay"] as? Bool == true && shown["transient"] as? Bool == false, "\(shown)")

            // The running guest's disk takes a write; it is in the overlay after power-off and a new
            // start, reads fall through to the base where the guest wrote nothing, and the base is unchanged.
            try Virsh.output([
                "qemu-monitor-command", vm, "--hmp",
                "qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"write -P 0xab 0 64k\"",
            ])
            try Virsh.output(["destroy", vm])
            try Virsh.output(["start", vm])
            try Virsh.output(["destroy", vm])
            #expect(try OverlayLab.holds(overlay, pattern: "0xab", at: "0"))
            #expect(try OverlayLab.holds(overlay, pattern: "0x5a", at: "1M"))
            #expect(try !OverlayLab.holds(lab.base, pattern: "0xab", at: "0"))
            #expect(try Command.output(["sha256sum", lab.base]) == baseSum)

            let undefine = try Self.vnetctl(["undefine", "vm", vm])
            #expect(undefine.status == 0, "\(undefine)")
            #expect(try lab.volumes().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: overlay))
            #expect(try Command.output(["sha256sum", lab.base]) == baseSum)
        }
    }

    /// `apply` of a disk VM: a second run changes nothing (the overlay keeps what was written to
    /// it), a new base is a change that needs --allow-restart, which makes a fresh overlay on it,
    /// and teardown deletes it.
    @Test func applyKeepsTheOverlayUntilTheBaseChanges() throws {
        try Self.withLab { lab, vm in
            let second = lab.directory.deletingLastPathComponent().appendingPathComponent("vnt-base2-\(vm).qcow2").path
            defer { try? FileManager.default.removeItem(atPath: second) }
            try Command.output(["qemu-img", "create", "-q", "-f", "qcow2", second, "32M"])
            let file = lab.directory.deletingLastPathComponent().appendingPathComponent("vnt-topology-\(vm).yaml").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            func write(base: String) throws {
                try """
                    vms:
                      - name: \(vm)
                        template: disk
                        memory: 128MiB
                        start: false
                        set: { virtType: qemu, disk.base: \(base), disk.pool: \(lab.name) }
                        nics: [{ network: \(lab.network.name) }]

                    """.write(toFile: file, atomically: true, encoding: .utf8)
            }
            func apply(_ extra: [String] = []) throws -> CommandResult { try Self.vnetctl(["apply", "-f", file] + extra) }
            defer { _ = try? Self.vnetctl(["teardown", "-f", file]) }
            let overlay = lab.overlay(vm)

            try write(base: lab.base)
            let first = try apply()
            #expect(first.status == 0, "\(first)")
            #expect(try lab.volumes() == ["\(vm).qcow2"])
            try Command.output(["qemu-io", "-f", "qcow2", "-c", "write -P 0xcd 0 64k", overlay])

            let again = try apply()
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(again)")
            #expect(try OverlayLab.holds(overlay, pattern: "0xcd", at: "0"), "the overlay was made anew")

            try write(base: second)
            let refused = try apply()
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("+disk: \(second)") && refused.stderr.contains("-disk: \(lab.base)"), "\(refused)")
            #expect(try OverlayLab.holds(overlay, pattern: "0xcd", at: "0"))

            let restarted = try apply(["--allow-restart"])
            #expect(restarted.status == 0, "\(restarted)")
            let info = try Command.output(["qemu-img", "info", "-U", "--output=json", overlay])
            #expect(info.contains("\"backing-filename\": \"\(second)\""), "\(info)")
            #expect(try !OverlayLab.holds(overlay, pattern: "0xcd", at: "0"))

            let teardown = try Self.vnetctl(["teardown", "-f", file])
            #expect(teardown.status == 0, "\(teardown)")
            #expect(try lab.volumes().isEmpty)
        }
    }

    @Test func aDryRunNamesTheOverlayAndCreatesNothing() throws {
        try Self.withLab { lab, vm in
            let result = try Self.define(vm, lab, extra: ["--dry-run"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("<source file=\"\(lab.overlay(vm))\"/>"), "\(result.stdout)")
            #expect(result.stdout.contains("overlay=\"\(lab.overlay(vm))\""), "\(result.stdout)")
            #expect(try lab.volumes().isEmpty)
            #expect(!VirshDomains.exists(vm))
        }
    }

    @Test func transientKeepsTheBaseAsTheSourceAndMakesNoVolume() throws {
        try Self.withLab { lab, vm in
            let result = try Self.define(vm, lab, extra: ["--set", "disk.transient=true"])
            #expect(result.status == 0, "\(result)")
            let xml = try VirshDomains.xml(vm, inactive: true)
            #expect(xml.contains("<source file='\(lab.base)'"), "\(xml)")
            #expect(xml.contains("<transient/>"), "\(xml)")
            #expect(try lab.volumes().isEmpty)
            let shown = try Self.shownDisk(vm)
            #expect(shown["source"] as? String == lab.base && shown["backing"] == nil, "\(shown)")
            #expect(shown["overlay"] as? Bool == false && shown["transient"] as? Bool == true, "\(shown)")
        }
    }

    /// The start fails (its network is not running): domain, reservations and overlay all go again.
    @Test func aVMThatCannotStartLeavesNoOverlay() throws {
        try Self.withLab { lab, vm in
            try Virsh.output(["net-destroy", lab.network.name])
            let result = try Self.define(vm, lab, extra: ["--start"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("disk overlay were removed again"), "\(result)")
            #expect(!VirshDomains.exists(vm))
            #expect(try lab.volumes().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: lab.overlay(vm)))
        }
    }

    /// Every case's VM is named `TAG-N`, so the before/after snapshot (VMHostState) covers this
    /// test's objects and the host's own, not what parallel suites make meanwhile.
    @Test func badDiskSettingsExitTwoWithOneLineAndChangeNothing() throws {
        let lab = try OverlayLab()
        defer { lab.remove() }
        let tag = TestNames.unique("diskbad")
        let taken = "\(tag)-taken"
        try Virsh.output(["vol-create-as", lab.name, "\(taken).qcow2", "1M", "--format", "qcow2"])
        let missingPool = "vnt-pool-missing-\(NetObjectNames.id())"
        let cases: [(label: String, vm: String, extra: [String], expected: [String])] = [
            ("missing pool", "\(tag)-1", ["--set", "disk.pool=\(missingPool)"],
             ["--set disk.pool=\(missingPool): no storage pool named '\(missingPool)'", "or set disk.pool to another"]),
            ("volume exists", taken, [], ["already has a volume '\(taken).qcow2'", "virsh vol-delete"]),
            ("missing base", "\(tag)-2", ["--set", "disk.base=/nonexistent/vnt-base.qcow2"],
             ["disk.base=/nonexistent/vnt-base.qcow2", "does not exist"]),
            ("relative base", "\(tag)-3", ["--set", "disk.base=base.qcow2"], ["absolute path"]),
            ("transient not a bool", "\(tag)-4", ["--set", "disk.transient=maybe"],
             ["disk.transient=maybe", "true or false"]),
        ]
        for bad in cases {
            let volumesBefore = try lab.volumes()
            let before = try VMHostState.capture(tag: tag, networks: [lab.network.name])
            let result = try Self.define(bad.vm, lab, extra: bad.extra)
            #expect(result.status == 2, "\(bad.label): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(bad.label): \(result.stderr)")
            for part in bad.expected { #expect(result.stderr.contains(part), "\(bad.label): '\(part)' missing: \(result.stderr)") }
            #expect(try lab.volumes() == volumesBefore, "\(bad.label)")
            let after = try VMHostState.capture(tag: tag, networks: [lab.network.name])
            #expect(before.differences(to: after).isEmpty, "\(bad.label): \(before.differences(to: after))")
        }
    }
}
