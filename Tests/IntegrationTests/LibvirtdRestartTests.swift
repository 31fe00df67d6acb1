import Foundation
import Testing
import TestSupport
import VNetCore

/// `apply` converges when libvirtd dies in the middle of it and comes back.
///
/// It kills the daemon every other suite talks to, so it runs only when
/// `VNETCTL_SOLO_TESTS=1`: `scripts/test.sh` runs it on its own after the other tests.
@Suite(
    .onTestThreads,
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["VNETCTL_SOLO_TESTS"] == "1", "kills libvirtd; run alone")
)
struct LibvirtdRestartTests {
    struct SpawnFailed: Error {
        var arguments: [String]
    }

    /// Runs `arguments` and returns its exit status.
    static func spawnAndWait(_ arguments: [String]) throws -> Int32 {
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, arguments[0], nil, nil, argv, environ) == 0 else {
            throw SpawnFailed(arguments: arguments)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// Kills this machine's libvirtd only (its pid file), not a second host's (scripts/test.sh starts one).
    static func killLibvirtd() throws {
        let pid = try String(contentsOfFile: "/run/libvirtd.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try Command.run(["kill", "-9", pid])
    }

    /// Starts libvirtd again through the set-up script, which waits for it.
    static func startLibvirtd() throws {
        // The set-up script runs through posix_spawn and waitpid: Foundation's Process never sees
        // it end, as the daemon it forks inherits its fds.
        let setup = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/setup-host.sh").path
        #expect(try Self.spawnAndWait(["/bin/bash", "-c", "exec \"$0\" >/dev/null 2>&1 </dev/null", setup]) == 0)
    }

    /// Without SMBIOS (as here) libvirtd makes up a new host UUID at each start, and new MACs
    /// derive from it; the MACs a VM already has stay, and a file that names no MAC still
    /// applies with nothing to change.
    @Test func aFileThatNamesNoMACAppliesUnchangedAfterARestartChangedTheHostUUID() throws {
        let prefix = TestNames.unique("uuid")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).yaml")
        try "vms:\n  - { name: \(prefix)-v, start: false, nics: [{ user: true }] }\n".write(to: file, atomically: true, encoding: .utf8)
        defer {
            _ = try? VNetCtlBinary.run(["-c", "qemu:///system", "teardown", "-f", file.path])
            try? FileManager.default.removeItem(at: file)
        }
        let first = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        try #require(first.status == 0, "\(first)")
        let macs = { try VirshDomains.interfaceMACs(inXML: VirshDomains.xml("\(prefix)-v", inactive: true)) }
        let before = try macs(), uuidBefore = try #require(try MACSeedSolver.hostUUID())
        #expect(before == [MACAddress(MACAddress.qemuPrefix, suffix: MACSeedSolver.derivedSuffix(
            vm: "\(prefix)-v", nic: 0, seed: nil, hostUUID: uuidBefore)).description])

        try Self.killLibvirtd()
        try Self.startLibvirtd()
        let uuidAfter = try #require(try MACSeedSolver.hostUUID())
        #expect(uuidAfter != uuidBefore, "libvirtd kept its host UUID \(uuidAfter) across the restart")
        let again = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(again)")
        #expect(try macs() == before)
    }

    @Test func applyConvergesAfterLibvirtdIsKilledMidway() throws {
        let prefix = TestNames.unique("kill")
        let octets = try (0..<4).map { _ in try TestSubnets.freeThirdOctet() }
        let networks = octets.enumerated().map { index, octet in
            "  - { name: \(prefix)-n\(index), model: nat, subnet: 10.123.\(octet).0/24 }"
        }
        let vms = octets.enumerated().flatMap { index, octet in
            (1...2).map { vm in
                "  - { name: \(prefix)-v\(index)\(vm), start: false, nics: [{ network: \(prefix)-n\(index), ip: 10.123.\(octet).\(10 + vm) }] }"
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).yaml")
        try (["networks:"] + networks + ["vms:"] + vms).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer {
            let bridges = LibvirtLeftovers.bridges(ofNetworksPrefixed: prefix)
            _ = try? VNetCtlBinary.run(["-c", "qemu:///system", "teardown", "-f", file.path])
            // The kill orphans whatever libvirtd had half-made for the network it was starting.
            LibvirtLeftovers.remove(bridges: bridges, subnets: octets.map { "10.123.\($0).0/24" }, networkPrefix: prefix)
            try? FileManager.default.removeItem(at: file)
        }

        let apply = Process()
        apply.executableURL = URL(fileURLWithPath: VNetCtlBinary.path)
        apply.arguments = ["-c", "qemu:///system", "apply", "-f", file.path]
        apply.standardOutput = FileHandle.nullDevice
        apply.standardError = FileHandle.nullDevice
        try apply.run()
        // Kill the daemon once the apply has made its first network, while it is still at work.
        for _ in 0..<200 where apply.isRunning {
            if try Virsh.networkNames().contains(where: { $0.hasPrefix(prefix) }) { break }
            usleep(10_000)
        }
        try Self.killLibvirtd()
        apply.waitUntilExit()
        try Self.startLibvirtd()

        let second = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        #expect(second.status == 0, "\(second)")
        let third = try VNetCtlBinary.run(["-c", "qemu:///system", "apply", "-f", file.path])
        #expect(third.status == 0, "\(third)")
        #expect(third.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(third)")

        let definedNetworks = try Virsh.networkNames().filter { $0.hasPrefix(prefix) }
        #expect(definedNetworks == Set((0..<4).map { "\(prefix)-n\($0)" }))
        let domains = try Command.output(["virsh", "-c", "qemu:///system", "list", "--all", "--name"])
            .split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
        #expect(domains.sorted() == vms.indices.map { index in "\(prefix)-v\(index / 2)\(index % 2 + 1)" }.sorted())
        for (index, octet) in octets.enumerated() {
            let xml = try Command.output(["virsh", "-c", "qemu:///system", "net-dumpxml", "--inactive", "\(prefix)-n\(index)"])
            for vm in 1...2 {
                let reservations = xml.split(separator: "\n")
                    .filter { $0.contains("<host mac=") && $0.contains("ip='10.123.\(octet).\(10 + vm)'") }.count
                #expect(reservations == 1, "reservation of 10.123.\(octet).\(10 + vm) appears \(reservations) times:\n\(xml)")
            }
        }
        let macs = try VNetCtlBinary.run(["-c", "qemu:///system", "--json", "macs", "--check"])
        #expect(!macs.stdout.contains(prefix), "duplicate MACs among the lab's objects: \(macs.stdout)")
    }
}
