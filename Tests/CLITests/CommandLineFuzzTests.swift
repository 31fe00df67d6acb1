import ArgumentParser
import Foundation
import Testing
import VNetCommands

/// Random command lines from vnetctl's own words, values and syntax, parsed in-process (never run):
/// each parses or is refused with an error, and parsing never crashes.
struct CommandLineFuzzTests {
    static let words = [
        "define", "network", "vm", "start", "stop", "undefine", "list", "networks", "vms", "show", "leases", "dumpxml",
        "validate", "macs", "templates", "version", "apply", "teardown", "host-bridge", "create", "delete", "help",
        "-f", "--file", "--check", "--diff", "--prune", "--allow-restart", "--force", "--json", "--model", "--subnet",
        "--ipv6", "--bridge", "--uplink", "--dhcp-range", "--no-dhcp", "--no-host-ip", "--host", "--domain", "--mtu",
        "--template", "--set", "--autostart", "--start", "--dry-run", "--network", "--memory", "--vcpus", "--mac-seed",
        "--wait-ip", "--lock-timeout", "--lock-timeout=", "--stp", "--persist", "--", "-", "-x", "--bogus", "=",
        "isolated", "routed", "nat", "bridged", "open", "auto", "10.123.1.0/24", "fd00::/64", "52:54:00:00:00:01",
        "net,ip=10.123.1.5,mac=52:54:00:00:00:01", "a=b", "256MiB", "-1", "0", "1e9", "nan", "", " ", "\n", "é",
        String(repeating: "x", count: 500),
    ]

    @Test func randomCommandLinesParseOrAreRefused() {
        let seed = ProcessInfo.processInfo.environment["VNETCTL_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x766e_6574_6374_6c14
        var generator = ParserFuzzGenerator(state: seed)
        let count = ProcessInfo.processInfo.environment["VNETCTL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 500
        var parsed = 0
        for _ in 0..<count {
            let arguments = (0..<Int.random(in: 0...8, using: &generator)).map { _ in Self.words.randomElement(using: &generator)! }
            do {
                _ = try VNetCtl.parseAsRoot(arguments)
                parsed += 1
            } catch {
                #expect(!VNetCtl.message(for: error).isEmpty || VNetCtl.exitCode(for: error) == .success, "\(arguments)")
            }
        }
        print("CommandLineFuzzTests: \(count) command lines, \(parsed) parsed")
    }
}

/// SplitMix64, as `ParserFuzzTests` uses: the same sequence for the same seed everywhere.
struct ParserFuzzGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
