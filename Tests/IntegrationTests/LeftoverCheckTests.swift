import Foundation
import Testing
import TestSupport

/// `vnetctl leftovers` on qemu:///system: a reservation a cut-off define left, an overlay volume no
/// domain records and a marked bridge no network uses are each reported (exit 1), and each is gone
/// from the report once its owner exists or it is removed. Other tests' objects share the host, so
/// only lines naming this test's objects count.
@Suite(.onTestThreads, .serialized)
struct LeftoverCheckTests {
    /// The lines of `vnetctl leftovers` that mention any of `names`; fails on an exit other than 0 or 1.
    static func leftovers(about names: [String], environment: [String: String] = [:]) throws -> [String] {
        let result = try VNetCtlBinary.run(["-c", Virsh.uri, "leftovers"], environment: environment)
        try #require(result.status == 0 || result.status == 1, "\(result)")
        #expect(result.status == 0 ? result.stdout == "no leftovers\n" : !result.stdout.contains("no leftovers"), "\(result)")
        return result.stdout.split(separator: "\n").map(String.init).filter { line in names.contains { line.contains($0) } }
    }

    @Test func aReservationACutOffDefineLeftIsReportedUntilUndefineReleasesIt() throws {
        let network = try LabNetwork.make(model: .isolated)
        let vm = TestNames.unique("lr")
        let cleanup = VMCleanup()
        defer {
            cleanup.removeAll()
            network.remove()
        }
        cleanup.track(vm)
        let ip = try #require(network.address(60))
        let cut = try VNetCtlBinary.run(
            ["-c", Virsh.uri, "define", "vm", vm, "--network", "\(network.name),ip=\(ip)", "--set", "virtType=qemu"],
            environment: ["VNETCTL_FAULT_AFTER_STEP": "1"])
        try #require(cut.status == 9, "\(cut)")
        let found = try Self.leftovers(about: [network.name])
        #expect(found.count == 1 && found[0].contains(ip) && found[0].contains("for host '\(vm)'"), "\(found)")
        let released = try VNetCtlBinary.run(["-c", Virsh.uri, "undefine", "vm", vm])
        #expect(released.status == 0, "\(released)")
        #expect(try Self.leftovers(about: [network.name]).isEmpty)
    }

    @Test func anOverlayNoDomainRecordsIsReported() throws {
        let lab = try OverlayLab()
        defer { lab.remove() }
        let vm = TestNames.unique("lo")
        let xml = FileManager.default.temporaryDirectory.appendingPathComponent("\(vm)-volume.xml")
        defer { try? FileManager.default.removeItem(at: xml) }
        try """
            <volume type='file'><name>\(vm).qcow2</name><capacity unit='bytes'>67108864</capacity>
            <target><format type='qcow2'/></target><backingStore><path>\(lab.base)</path><format type='qcow2'/></backingStore></volume>
            """.write(to: xml, atomically: true, encoding: .utf8)
        try Virsh.output(["vol-create", lab.name, xml.path])
        try Virsh.output(["vol-create-as", lab.name, "\(vm)-plain.qcow2", "1M", "--format", "qcow2"])
        let found = try Self.leftovers(about: [lab.name])
        #expect(found.count == 1 && found[0].contains(lab.overlay(vm)) && found[0].contains(lab.base), "\(found)")
        try Virsh.output(["vol-delete", "\(vm).qcow2", "--pool", lab.name])
        #expect(try Self.leftovers(about: [lab.name]).isEmpty)
    }

    @Test func aMarkedBridgeNoNetworkUsesIsReported() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-leftover-root-\(NetObjectNames.id())")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("etc/network/interfaces.d")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bridge = "vnt-lb\(NetObjectNames.id().prefix(6))"
        try "# Written by vnetctl for host bridge \(bridge); 'vnetctl host-bridge delete \(bridge)' removes it.\nauto \(bridge)\n"
            .write(to: directory.appendingPathComponent(bridge), atomically: true, encoding: .utf8)
        let environment = ["VNETCTL_PERSIST_ROOT": root.path]
        let found = try Self.leftovers(about: [bridge], environment: environment)
        #expect(found == ["bridge \(bridge) (not live): no network uses it; files /etc/network/interfaces.d/\(bridge)"], "\(found)")

        let name = TestNames.unique("lb")
        defer { Virsh.destroyAndUndefine(name) }
        let xml = root.appendingPathComponent("network.xml")
        try "<network><name>\(name)</name><forward mode='bridge'/><bridge name='\(bridge)'/></network>"
            .write(to: xml, atomically: true, encoding: .utf8)
        try Virsh.output(["net-define", xml.path])
        #expect(try Self.leftovers(about: [bridge], environment: environment).isEmpty, "a defined network uses the bridge")
    }
}
