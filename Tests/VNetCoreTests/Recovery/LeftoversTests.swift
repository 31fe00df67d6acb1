import HostNet
import Foundation
import Testing
@testable import VNetCore

/// `Leftovers.find` on hand-built inventories: what has an owner is never reported, what lost it is.
struct LeftoversTests {
    static func network(_ name: String, bridge: String, hosts: [(mac: String, ip: String, name: String?)]) throws -> Inventory.NetworkEntry {
        let dhcp = hosts.map { "<host mac='\($0.mac)' ip='\($0.ip)'\($0.name.map { " name='\($0)'" } ?? "")/>" }.joined()
        let xml = "<network><name>\(name)</name><bridge name='\(bridge)'/><ip address='10.123.60.1' prefix='24'><dhcp>"
            + "<range start='10.123.60.100' end='10.123.60.200'/>\(dhcp)</dhcp></ip></network>"
        let config = try NetworkConfig(xml: xml, source: name)
        return .init(
            network: try TestDriver.network(named: name, xml: "<network><name>\(name)</name></network>"),
            active: true, persistent: true, autostart: false, saved: config, live: nil)
    }

    static func domain(_ name: String, macs: [String] = [], disk: String? = nil, overlay: String? = nil) throws -> Inventory.DomainEntry {
        let nics = macs.map { "<interface type='network'><mac address='\($0)'/><source network='n'/></interface>" }.joined()
        let disks = disk.map { "<disk type='file' device='disk'><source file='\($0)'/><target dev='vda'/></disk>" } ?? ""
        let metadata = overlay.map {
            "<metadata><vnetctl:domain xmlns:vnetctl='\(VNetMetadata.namespace)' overlay='\($0)'/></metadata>"
        } ?? ""
        let config = try DomainConfig(xml: "<domain><name>\(name)</name>\(metadata)<devices>\(nics)\(disks)</devices></domain>", source: name)
        return .init(domain: try TestDriver.domain(named: name), state: .shutoff, persistent: true, inactive: config, live: nil)
    }

    static func volume(_ name: String, backing: String? = "/srv/base.qcow2", format: String? = "qcow2") -> Leftovers.Volume {
        .init(pool: "default", name: name, path: "/var/lib/libvirt/images/\(name)", format: format, backing: backing)
    }

    @Test func aCleanHostHasNoLeftovers() throws {
        let inventory = Inventory(
            networks: [try Self.network("lo-a", bridge: "vn-a", hosts: [("52:54:00:00:00:01", "10.123.60.10", "web1"),
                                                                    ("52:54:00:00:00:02", "10.123.60.11", "web1-1")])],
            domains: [try Self.domain("web1", overlay: "/var/lib/libvirt/images/web1.qcow2")])
        let found = Leftovers.find(
            in: inventory, volumes: [Self.volume("web1.qcow2"), Self.volume("plain.qcow2", backing: nil), Self.volume("disk.img", format: "raw")],
            markedBridges: ["vn-a": ["/etc/systemd/network/vn-a.netdev"]])
        #expect(found.isEmpty, "\(found)")
    }

    @Test(arguments: [
        // (host name, VMs that exist, MACs on their NICs, reported)
        ("gone", [String](), [String](), true),
        ("gone-1", ["gone"], [], false),
        ("GONE", ["gone"], [], false),
        ("gone-x", ["gone"], [], true),
        ("gone10", ["gone"], [], true),
        ("printer", ["other"], ["52:54:00:00:00:05"], false),
        ("my-vm", ["my_vm"], [], false),
    ] as [(String, [String], [String], Bool)])
    func aReservationIsALeftoverWhenNoVMHasItsHostNameOrMAC(hostname: String, vms: [String], macs: [String], reported: Bool) throws {
        let inventory = Inventory(
            networks: [try Self.network("lo-r", bridge: "vn-r", hosts: [("52:54:00:00:00:05", "10.123.60.20", hostname)])],
            domains: try vms.map { try Self.domain($0, macs: macs) })
        let found = Leftovers.find(in: inventory, volumes: [], markedBridges: [:])
        let expected = reported ? [Leftovers.Reservation(network: "lo-r", mac: "52:54:00:00:00:05", ip: "10.123.60.20", hostname: hostname)] : []
        #expect(found.reservations == expected)
    }

    @Test func aNamelessReservationIsNotVNetctls() throws {
        let inventory = Inventory(networks: [try Self.network("lo-u", bridge: "vn-u", hosts: [("52:54:00:00:00:06", "10.123.60.21", nil)])])
        #expect(Leftovers.find(in: inventory, volumes: [], markedBridges: [:]).isEmpty)
    }

    @Test func aReservationOnAHostInterfaceMACIsOwned() throws {
        var inventory = Inventory(networks: [try Self.network("lo-h", bridge: "vn-h", hosts: [("52:54:00:00:00:07", "10.123.60.22", "gone")])])
        inventory.host.links = [HostLink(index: 9, name: "eth9", kind: .ethernet, kernelKind: nil, mac: "52:54:00:00:00:07", mtu: 1500, isUp: true)]
        #expect(Leftovers.find(in: inventory, volumes: [], markedBridges: [:]).isEmpty)
    }

    @Test func anOverlayIsALeftoverWhenNoDomainRecordsIt() throws {
        let inventory = Inventory(domains: [
            try Self.domain("kept", overlay: "/var/lib/libvirt/images/kept.qcow2"),
            try Self.domain("other", disk: "/var/lib/libvirt/images/used.qcow2"),
            try Self.domain("named"),
        ])
        let volumes = [
            Self.volume("kept.qcow2"), Self.volume("used.qcow2"), Self.volume("named.qcow2"), Self.volume("gone.qcow2"),
            Self.volume("base.qcow2", backing: nil), Self.volume("gone2.qcow2", format: "raw"),
        ]
        let found = Leftovers.find(in: inventory, volumes: volumes, markedBridges: [:])
        #expect(found.overlays == [.init(pool: "default", name: "gone.qcow2", path: "/var/lib/libvirt/images/gone.qcow2", backing: "/srv/base.qcow2")])
    }

    @Test func aMarkedBridgeIsALeftoverWhenNoNetworkUsesIt() throws {
        var inventory = Inventory(networks: [try Self.network("lo-b", bridge: "br-used", hosts: [])])
        inventory.host.links = [HostLink(index: 3, name: "br-live", kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true)]
        let found = Leftovers.find(
            in: inventory, volumes: [],
            markedBridges: ["br-used": ["/etc/network/interfaces.d/br-used"], "br-live": ["/etc/systemd/network/b.network", "/etc/systemd/network/a.netdev"],
                            "br-gone": ["/etc/network/interfaces.d/br-gone"]])
        #expect(found.bridges == [
            .init(name: "br-gone", live: false, files: ["/etc/network/interfaces.d/br-gone"]),
            .init(name: "br-live", live: true, files: ["/etc/systemd/network/a.netdev", "/etc/systemd/network/b.network"]),
        ])
    }

    @Test func markedFilesAreFoundByTheirFirstLineOnly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-leftovers-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/etc/network/interfaces.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try (HostBridgeConfigFile.marker("br-x") + "\nauto br-x\n").write(toFile: directory + "/br-x", atomically: true, encoding: .utf8)
        try (HostBridgeConfigFile.marker("br-x") + "\n").write(
            toFile: directory + "/br-x" + HostBridgeConfigFile.backupSuffix, atomically: true, encoding: .utf8)
        try ("auto br-y\n" + HostBridgeConfigFile.marker("br-y") + "\n").write(toFile: directory + "/br-y", atomically: true, encoding: .utf8)
        try "# Written by vnetctl for host bridge br-z\n".write(toFile: directory + "/br-z", atomically: true, encoding: .utf8)
        #expect(Leftovers.markedBridges(root: root) == ["br-x": ["/etc/network/interfaces.d/br-x"]])
    }

    @Test func theRecordOfACutOffHostBridgeChangeMarksItsBridge() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-leftovers-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = HostBridgePlan.creating(HostBridgeSettings(name: "br-cut"), uplink: nil, addresses: [], routes: [])
        try HostBridgeIntent(action: .create, request: HostBridgeRequest(name: "br-cut"), persistence: "none", plan: plan, files: [])
            .write(root: root)
        #expect(Leftovers.markedBridges(root: root) == ["br-cut": ["/run/vnetctl/host-bridges/br-cut.json"]])
        #expect(try HostBridgeIntent.read("br-cut", root: root)?.plan == plan)
        try HostBridgeIntent.remove("br-cut", root: root)
        #expect(Leftovers.markedBridges(root: root).isEmpty)
    }
}
