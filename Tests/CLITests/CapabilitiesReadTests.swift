import Foundation
import Testing
import TestSupport

/// libvirt's capabilities (an 11 KB document on a QEMU host, and a round trip) are where the host's
/// UUID comes from, which MAC allocation seeds with: a command that allocates no MAC does not fetch
/// them. libvirt's call counter (`VNETCTL_DEBUG_ROUNDTRIPS=1`) says which calls a command made.
@Suite(.onTestThreads) struct CapabilitiesReadTests {
    @Test(arguments: [
        (["macs", "--check"], false),
        (["leftovers"], false),
        (["graph"], false),
        (["define", "network", "vnt-caps", "--model", "isolated", "--subnet", "10.123.232.0/24", "--dry-run"], false),
        (["define", "vm", "vnt-caps", "--network", "default", "--memory", "64MiB", "--dry-run"], true),
    ])
    func onlyACommandThatAllocatesMACsFetchesTheCapabilities(arguments: [String], fetches: Bool) throws {
        let result = try VNetCtlBinary.run(["-c", "test:///default"] + arguments, environment: ["VNETCTL_DEBUG_ROUNDTRIPS": "1"])
        #expect(result.status == 0, "\(result)")
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("libvirt round trips:") }, "\(result)")
        #expect(line.contains("virConnectGetCapabilities") == fetches, "\(arguments.joined(separator: " ")): \(line)")
    }
}
