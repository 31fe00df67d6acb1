import Foundation
import Testing
import TestSupport

/// The libvirt network hook: forwards follow `virsh net-destroy` + `net-start` and a libvirtd
/// killed and started again, and a network whose forwards the hook cannot read still starts.
///
/// libvirtd notices a hook script only when it starts or reloads, so this suite reloads libvirtd
/// (SIGHUP) and kills it; it runs only when `VNETCTL_SOLO_TESTS=1`, alone (`scripts/test.sh`).
@Suite(
    .onTestThreads,
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["VNETCTL_SOLO_TESTS"] == "1", "reloads and kills libvirtd; run alone")
)
struct ForwardHookTests {
    static let uri = "qemu:///system"
    static let hookPath = "/etc/libvirt/hooks/network.d/vnetctl"

    /// The pid of the libvirtd that serves qemu:///system.
    static func libvirtdPID() throws -> pid_t {
        let text = try String(contentsOfFile: "/run/libvirtd.pid", encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HarnessError("/run/libvirtd.pid holds no pid: \(text)")
        }
        return pid
    }

    /// Waits until libvirtd answers on qemu:///system again (at most 10 s).
    static func waitForLibvirtd() throws {
        for _ in 0..<100 {
            if try Command.run(["virsh", "-q", "-c", uri, "uri"]).status == 0 { return }
            usleep(100_000)
        }
        throw HarnessError("libvirtd did not answer on \(uri)")
    }

    /// `virsh net-start`, retried until the hook has put the forward's rules in place: after a
    /// SIGHUP, libvirtd reads the hook directory again in a thread of its own.
    static func netStartUntilRules(_ network: String) throws -> Bool {
        for _ in 0..<20 {
            try Virsh.output(["net-start", network])
            if try !ForwardChains.lines(of: network).isEmpty { return true }
            try Virsh.output(["net-destroy", network])
            usleep(250_000)
        }
        return false
    }

    @Test func forwardsFollowNetStartAndALibvirtdRestart() throws {
        let previousHook = FileManager.default.contents(atPath: Self.hookPath)
        defer {
            if let previousHook {
                FileManager.default.createFile(atPath: Self.hookPath, contents: previousHook, attributes: [.posixPermissions: 0o755])
            } else {
                try? FileManager.default.removeItem(atPath: Self.hookPath)
            }
        }
        try? FileManager.default.removeItem(atPath: Self.hookPath)
        let install = try VNetCtlBinary.run(["forwards", "install-hook"])
        #expect(install.status == 0 && install.stdout.contains("reload it once"), "\(install)")
        #expect(FileManager.default.isExecutableFile(atPath: Self.hookPath))
        let again = try VNetCtlBinary.run(["forwards", "install-hook"])
        #expect(again.status == 0 && again.stdout.contains("is in place"), "\(again)")

        #expect(kill(try Self.libvirtdPID(), SIGHUP) == 0)
        try Self.waitForLibvirtd()

        let octet = try TestSubnets.freeThirdOctet()
        let (gateway, guestIP) = ("10.123.\(octet).1", "10.123.\(octet).11")
        let name = TestNames.unique("fwh")
        let broken = TestNames.unique("fwb")
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "b")
        let port = Int.random(in: 30000...39999)
        defer {
            _ = try? VNetCtlBinary.run(["-c", Self.uri, "undefine", "network", name])
            Virsh.destroyAndUndefine(name)
            Virsh.destroyAndUndefine(broken)
            ForwardChains.removeLeftovers(of: name)
        }
        let define = try VNetCtlBinary.run([
            "-c", Self.uri, "define", "network", name, "--model", "nat", "--subnet", "10.123.\(octet).0/24",
            "--bridge", bridge, "--forward", "tcp:\(port):\(guestIP):80",
        ])
        try #require(define.status == 0, "\(define)")
        #expect(try ForwardChains.lines(of: name).isEmpty, "not started, no rules")

        // Started by libvirt alone: the hook puts the rules in place.
        try #require(try Self.netStartUntilRules(name), "the hook made no rules after virsh net-start")
        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        try guest.configure(address: "\(guestIP)/24", gateway: gateway)
        let web = try TokenService(namespace: guest.name, port: 80)
        defer { web.stop() }
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == web.token)

        // Stopped by libvirt: the hook removes them; started again: back.
        try Virsh.output(["net-destroy", name])
        #expect(try ForwardChains.lines(of: name).isEmpty)
        try Virsh.output(["net-start", name])
        #expect(try !ForwardChains.lines(of: name).isEmpty)
        try Command.output(["ip", "link", "set", guest.hostInterface, "master", bridge, "up"])
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == web.token)

        // libvirtd killed and started again: the rules stay, and the hook still follows net-start.
        #expect(kill(try Self.libvirtdPID(), SIGKILL) == 0)
        // Started with no descriptor but 0-2: the daemon must not inherit (and keep) this suite's flock.
        let start = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec libvirtd -d >/dev/null 2>&1 </dev/null"#
        #expect(try LibvirtdRestartTests.spawnAndWait(["/bin/bash", "-c", start]) == 0)
        try Self.waitForLibvirtd()
        #expect(try Virsh.isActive(name))
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == web.token)
        try Virsh.output(["net-destroy", name])
        #expect(try ForwardChains.lines(of: name).isEmpty)
        try Virsh.output(["net-start", name])
        try Command.output(["ip", "link", "set", guest.hostInterface, "master", bridge, "up"])
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == web.token)

        // A forward the hook cannot read never fails the start.
        let brokenOctet = try TestSubnets.freeThirdOctet()
        try Virsh.defineAndStart(xml: """
            <network>
              <name>\(broken)</name>
              <metadata><vnetctl:network xmlns:vnetctl="https://vnetctl.dev/xmlns/vnetctl/1" model="nat">
                <vnetctl:forward protocol="sctp" host-ports="0" guest="x" guest-ports="80"/>
              </vnetctl:network></metadata>
              <forward mode='nat'/>
              <bridge name='\(NetObjectNames.interface(NetObjectNames.id(), "b"))' stp='off' delay='0'/>
              <ip address='10.123.\(brokenOctet).1' prefix='24'/>
            </network>
            """, name: broken)
        #expect(try Virsh.isActive(broken))
        #expect(try ForwardChains.lines(of: broken).isEmpty)

        let undefine = try VNetCtlBinary.run(["-c", Self.uri, "undefine", "network", name])
        #expect(undefine.status == 0, "\(undefine)")
        #expect(try ForwardChains.lines(of: name).isEmpty)
        #expect(!(try Command.output(["iptables-save"])).contains("incompatible"))
    }
}
