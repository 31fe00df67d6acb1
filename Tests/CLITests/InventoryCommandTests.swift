import Foundation
import Testing
import TestSupport

/// `version`, `list` and `dumpxml` against libvirt's in-process test driver, checked with virsh.
@Suite(.onTestThreads) struct InventoryCommandTests {
    let uri = "test:///default"

    @Test func versionMatchesVirsh() throws {
        let result = try VNetCtlBinary.run(["-c", uri, "--json", "version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let virsh = try Command.output(["virsh", "-c", uri, "version"])
        let library = try #require(report["library"] as? String)
        #expect(virsh.contains("Using library: libvirt \(library)"), "virsh says: \(virsh)")
        #expect(report["vnetctl"] as? String != nil)
        #expect(report["daemon"] as? String == library)
    }

    @Test func listShowsWhatVirshShows() throws {
        let result = try VNetCtlBinary.run(["-c", uri, "--json", "list"])
        #expect(result.status == 0, "\(result)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let networks = try #require(listing["networks"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        let vms = try #require(listing["vms"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        let virshNetworks = try Command.output(["virsh", "-c", uri, "net-list", "--all", "--name"])
            .split(separator: "\n").map(String.init).sorted()
        let virshVMs = try Command.output(["virsh", "-c", uri, "list", "--all", "--name"])
            .split(separator: "\n").map(String.init).sorted()
        #expect(networks == virshNetworks)
        #expect(vms == virshVMs)
        #expect(!networks.isEmpty && !vms.isEmpty)
    }

    @Test func listTextHasOneRowPerNetwork() throws {
        let result = try VNetCtlBinary.run(["-c", uri, "list", "networks"])
        #expect(result.status == 0, "\(result)")
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("NETWORK") == true)
        #expect(rows.contains { $0.hasPrefix("default ") && $0.contains("nat") && $0.contains("active") })
    }

    @Test(arguments: [("network", "default", "net-dumpxml"), ("vm", "test", "dumpxml")])
    func dumpxmlMatchesVirsh(kind: String, name: String, virshCommand: String) throws {
        let ours = try VNetCtlBinary.run(["-c", uri, "dumpxml", kind, name])
        #expect(ours.status == 0, "\(ours)")
        let virsh = try Command.output(["virsh", "-c", uri, virshCommand, name])
        #expect(ours.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == virsh.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
