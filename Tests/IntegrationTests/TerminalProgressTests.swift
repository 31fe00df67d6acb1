import Foundation
import Testing
import TestSupport

/// Progress on a terminal: `apply` writes `[n/N] object` before each change and `define vm
/// --wait-ip` says what it waits for; without a terminal neither writes a progress line. The
/// terminal is a real pseudo-terminal, made by util-linux's `script`.
@Suite(.onTestThreads, .serialized)
struct TerminalProgressTests {
    static let uri = "qemu:///system"

    /// Runs vnetctl with `arguments` on a pseudo-terminal (stdout and stderr both); its exit
    /// status and what the terminal showed, line by line.
    static func onTerminal(_ arguments: [String]) throws -> (status: Int32, lines: [String]) {
        let quoted = ([VNetCtlBinary.path, "-c", uri] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let result = try Command.run(["script", "-qec", quoted.joined(separator: " "), "/dev/null"])
        return (result.status, result.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init))
    }

    /// `[n/N] object` lines, as (n, N, object).
    static func steps(in lines: [String]) -> [(Int, Int, String)] {
        lines.compactMap { line in
            guard let match = line.wholeMatch(of: /\[(\d+)\/(\d+)\] (.+)/), let n = Int(match.1), let total = Int(match.2) else { return nil }
            return (n, total, String(match.3))
        }
    }

    @Test func applyCountsItsStepsOnATerminalOnly() throws {
        let bridge = try TestBridge()
        let lab = try TopologyLab(bridge: bridge.name)
        defer {
            lab.remove()
            bridge.remove()
        }
        try lab.write()

        let plain = try lab.apply(["-c", Self.uri])
        try #require(plain.status == 0, "\(plain)")
        #expect(Self.steps(in: plain.stderr.split(separator: "\n").map(String.init)).isEmpty, "\(plain)")
        #expect(!plain.stderr.contains("creating"), "no progress without a terminal: \(plain)")
        try #require(try lab.teardown().status == 0)

        let shown = try Self.onTerminal(["apply", "-f", lab.path])
        try #require(shown.status == 0, "\(shown.lines)")
        let steps = Self.steps(in: shown.lines)
        let objects = lab.networks.map { "creating network \($0)" } + lab.vms.map { "creating vm \($0)" }
        #expect(steps.map(\.0) == Array(1...objects.count), "\(shown.lines)")
        #expect(steps.allSatisfy { $0.1 == objects.count }, "\(shown.lines)")
        #expect(Set(steps.map(\.2)) == Set(objects), "\(shown.lines)")
        // The report follows the progress, as without a terminal.
        #expect(shown.lines.last?.hasPrefix("\(objects.count) changed") == true, "\(shown.lines)")

        // Nothing to change: no step, no progress line.
        let again = try Self.onTerminal(["apply", "-f", lab.path])
        #expect(again.status == 0 && Self.steps(in: again.lines).isEmpty, "\(again.lines)")
    }

    @Test func waitIPSaysWhatItWaitsFor() throws {
        let network = try LabNetwork.make(model: .nat)
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        let name = TestNames.unique("vmp")
        cleanup.track(name)
        let ip = try #require(network.address(51))

        let shown = try Self.onTerminal([
            "define", "vm", name, "--network", "\(network.name),ip=\(ip)", "--template", "pxe",
            "--set", "virtType=qemu", "--start", "--wait-ip", "120",
        ])
        try #require(shown.status == 0, "\(shown.lines)")
        let waiting = shown.lines.filter { $0.hasPrefix("… waiting up to 120") }
        #expect(waiting.count == 1, "\(shown.lines)")
        #expect(waiting.first?.contains("DHCP leases of VM '\(name)'") == true, "\(shown.lines)")
        #expect(waiting.first?.contains(" on \(network.name)") == true, "\(shown.lines)")
        let mac = try #require(VirshDomains.interfaceMACs(inXML: VirshDomains.xml(name)).first)
        #expect(waiting.first?.lowercased().contains(mac) == true, "\(shown.lines)")
        #expect(shown.lines.contains { $0.contains(ip) }, "the report names the lease: \(shown.lines)")
    }
}
