import Foundation
import LibXML
import Testing
@testable import VNetCore

/// `DomainConfig` and `DomainNIC` read every interface type, and the MAC inventory tells a teaming
/// pair from a duplicate, without a daemon.
struct DomainConfigTests {
    static func config(_ xml: String) throws -> DomainConfig { try DomainConfig(xml: xml, source: "fixture") }

    /// Per interface of the fixture, in order: kind, source as shown, model, tap.
    static let interfaces: [(String, String, String?, String?)] = [
        ("network", "network lab portgroup pg1", "virtio", "vnet3"),
        ("bridge", "bridge midonet", "e1000e", nil),
        ("direct", "dev eth0 (vepa)", nil, "macvtap0"),
        ("user", "-", "rtl8139", nil),
        ("ethernet", "-", nil, "mytap0"),
        ("vhostuser", "socket /run/vhost.sock (client)", "virtio", nil),
        ("hostdev", "pci 0000:03:00.1", nil, nil),
        ("mcast", "230.0.0.1:5558", nil, nil),
        ("udp", "127.0.0.1:11115 local 127.0.0.1:11116", nil, nil),
        ("server", "192.168.0.1:5558", nil, nil),
        ("client", "192.168.0.1:5558", nil, nil),
        ("vdpa", "dev /dev/vhost-vdpa-0", nil, nil),
        ("null", "-", nil, nil),
    ]

    @Test(arguments: interfaces.indices)
    func readsEveryInterfaceType(index: Int) throws {
        let nic = try Self.config(DomainXMLFixtures.everyInterfaceType).nics[index]
        let (kind, source, model, tap) = Self.interfaces[index]
        #expect(nic.kind == kind)
        #expect(nic.source.description == source)
        #expect(nic.model == model)
        #expect(nic.tap == tap)
        #expect(nic.mac == "52:54:00:00:01:\(String(format: "%02x", index + 1))")
    }

    /// `init(xml:source:)` builds only `readElements` of the tree; what it reads from that is what
    /// the whole tree gives, for every fixture.
    @Test(arguments: [
        DomainXMLFixtures.everyInterfaceType, DomainXMLFixtures.teaming, DomainXMLFixtures.sameMACTwice,
        DomainXMLFixtures.asLibvirtWritesIt,
    ])
    func theFilteredTreeReadsAsTheWholeOne(xml: String) throws {
        let whole = try DomainConfig(try XMLDocument(string: xml, source: "fixture"))
        #expect(try Self.config(xml) == whole)
    }

    @Test func readsADomainAsLibvirtWritesIt() throws {
        let config = try Self.config(DomainXMLFixtures.asLibvirtWritesIt)
        #expect(config.name == "written" && config.uuid == "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
        #expect(config.memoryMiB == 1024 && config.vcpus == 2)
        #expect(config.nics.map(\.kind) == ["network"])
        #expect(config.nics.first?.mac == "52:54:00:aa:00:01" && config.nics.first?.tap == "vnet9")
        #expect(config.nics.first?.alias == "net0" && config.nics.first?.source.network == "lab")
        #expect(config.disks == [.init(device: "disk", target: "vda", sourceFile: "/var/lib/libvirt/images/w.qcow2", transient: true)])
        #expect(config.metadata?.template == "pxe" && config.metadata?.topology == "lab")
    }

    @Test func readsSizeDisksAndIdentity() throws {
        let config = try Self.config(DomainXMLFixtures.everyInterfaceType)
        #expect(config.name == "all-nics" && config.uuid == "9d1f5a1c-0b5e-4d55-a2f4-5c7e8e6f0a01")
        #expect(config.memoryMiB == 256 && config.vcpus == 2)
        #expect(config.disks.map(\.device) == ["disk", "cdrom"])
        #expect(config.disks[0].sourceFile == "/var/lib/libvirt/images/a.qcow2" && config.disks[0].target == "vda")
        #expect(config.nics[0].source.bridge == "virbr9")
    }

    @Test(arguments: [("262144", "KiB", 256), ("512", "MiB", 512), ("1", "GiB", 1024), ("268435456", "b", 256), ("256", "M", 256)])
    func readsEveryMemoryUnit(value: String, unit: String, mebibytes: Int) {
        #expect(DomainConfig.mebibytes(value, unit: unit) == mebibytes)
    }

    @Test func readsTeamingPairs() throws {
        let nics = try Self.config(DomainXMLFixtures.teaming).nics
        #expect(nics[0].teaming == .init(type: "persistent", persistent: nil) && nics[0].alias == "ua-backup0")
        #expect(nics[1].teaming == .init(type: "transient", persistent: "ua-backup0"))
        #expect(!nics[0].isTeamingPartner(in: nics) && nics[1].isTeamingPartner(in: nics))
    }

    /// An inventory of one domain built from `xml`, over a handle from libvirt's in-process test driver.
    static func macs(of xml: String) throws -> MACInventory {
        let handle = try #require(try TestDriver.connection.domains().first)
        let config = try Self.config(xml)
        return MACInventory(Inventory(domains: [.init(domain: handle, state: .shutoff, persistent: true, inactive: config, live: nil)]))
    }

    @Test func aTeamingPairIsNotADuplicate() throws {
        let macs = try Self.macs(of: DomainXMLFixtures.teaming)
        #expect(macs.uses.count == 1)
        #expect(macs.duplicates.isEmpty)
    }

    @Test func twoNICsOfOneDomainWithOneMACAreADuplicate() throws {
        let macs = try Self.macs(of: DomainXMLFixtures.sameMACTwice)
        #expect(macs.duplicates.map { $0.map(\.mac.description) } == [["52:54:00:00:03:01", "52:54:00:00:03:01"]])
    }
}
