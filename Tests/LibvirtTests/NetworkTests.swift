import Foundation
import Testing
@testable import Libvirt

@Suite struct NetworkTests {
    /// Whether the test driver's `default` network (active, persistent, no autostart) passes each filter.
    @Test(arguments: [
        ([], true),
        (.active, true),
        (.inactive, false),
        (.persistent, true),
        (.transient, false),
        (.autostart, false),
        (.noAutostart, true),
        ([.active, .inactive], true),
        ([.active, .transient], false),
    ] as [(NetworkListFlags, Bool)])
    func listsTheDefaultNetwork(flags: NetworkListFlags, listed: Bool) throws {
        let connection = try Connection(uri: testURI)
        #expect(try connection.networks(flags).map(\.name).contains("default") == listed)
    }

    @Test func looksUpByNameAndUUID() throws {
        let connection = try Connection(uri: testURI)
        let byName = try connection.network(named: "default")
        let byUUID = try connection.network(uuid: byName.uuid)
        #expect(byUUID.name == "default")
        #expect(try byUUID.uuid == byName.uuid)
    }

    @Test func missingNetworkIsNoNetwork() throws {
        let connection = try Connection(uri: testURI)
        let byName = libvirtError { _ = try connection.network(named: uniqueName("missing")) }
        let byUUID = libvirtError { _ = try connection.network(uuid: UUID()) }
        #expect(byName?.code == .noNetwork)
        #expect(byName?.domain == .test)
        #expect(byUUID?.code == .noNetwork)
    }

    @Test(arguments: [
        ("<network><name>broken</name", LibvirtError.Code.xmlDetail),
        ("<network/>", .noName),
    ])
    func rejectsInvalidXML(xml: String, code: LibvirtError.Code) throws {
        let connection = try Connection(uri: testURI)
        let error = libvirtError { _ = try connection.defineNetwork(xml: xml) }
        #expect(error?.code == code)
        #expect(error?.domain == .network)
    }

    /// An element libvirt's network schema does not know: ignored by a plain define, refused by a
    /// validating one.
    @Test func aValidatingDefineRefusesWhatTheSchemaDoesNot() throws {
        let connection = try Connection(uri: testURI)
        let name = uniqueName("schema")
        let xml = "<network><name>\(name)</name><explode/></network>"
        let error = libvirtError { _ = try connection.defineNetwork(xml: xml, validate: true) }
        #expect(error?.code == .xmlInvalidSchema)
        #expect(error?.message.contains("explode") == true, "\(String(describing: error))")
        #expect(try !connection.networks().contains { $0.name == name })
        let network = try connection.defineNetwork(xml: xml)
        defer { remove(network) }
        #expect(network.name == name)
    }

    @Test func definesStartsStopsAndUndefines() throws {
        let connection = try Connection(uri: testURI)
        let network = try connection.defineNetwork(xml: networkXML(name: uniqueName("life")))
        defer { remove(network) }
        #expect(try !network.isActive)
        #expect(try network.isPersistent)

        try network.start()
        #expect(try network.isActive)
        #expect(try connection.networks(.active).contains { $0.name == network.name })
        #expect(libvirtError { try network.start() }?.code == .operationInvalid)

        try network.stop()
        #expect(try !network.isActive)

        try network.undefine()
        #expect(libvirtError { _ = try connection.network(named: network.name) }?.code == .noNetwork)
    }

    @Test func createsTransientNetworks() throws {
        let connection = try Connection(uri: testURI)
        let xml = networkXML(name: uniqueName("transient"))
        let network = try connection.createNetwork(xml: xml)
        defer { remove(network) }
        #expect(try network.isActive)
        #expect(try !network.isPersistent)
        #expect(try connection.networks(.transient).contains { $0.name == network.name })
        let duplicate = libvirtError { _ = try connection.createNetwork(xml: xml) }
        #expect(duplicate?.code == .operationFailed)
        #expect(duplicate?.description.contains(network.name) == true)

        try network.stop()
        #expect(libvirtError { _ = try connection.network(named: network.name) }?.code == .noNetwork)
    }

    @Test func setsAutostart() throws {
        let connection = try Connection(uri: testURI)
        let network = try connection.defineNetwork(xml: networkXML(name: uniqueName("auto")))
        defer { remove(network) }
        #expect(try !network.autostart)
        try network.setAutostart(true)
        #expect(try network.autostart)
        #expect(try connection.networks(.autostart).contains { $0.name == network.name })
        try network.setAutostart(false)
        #expect(try !network.autostart)
    }

    @Test func reportsBridgeAndXML() throws {
        let connection = try Connection(uri: testURI)
        let network = try connection.defineNetwork(xml: networkXML(name: uniqueName("xml"), bridge: "vnt-xml0"))
        defer { remove(network) }
        #expect(try network.bridgeName == "vnt-xml0")
        let xml = try network.xml()
        #expect(xml.contains("<name>\(network.name)</name>"))
        #expect(xml.contains(try network.uuid.uuidString.lowercased()))
    }

    @Test("the test driver takes no flags for network XML, so inactive XML is refused")
    func inactiveXMLIsUnsupportedByTheTestDriver() throws {
        let connection = try Connection(uri: testURI)
        let error = libvirtError { _ = try connection.network(named: "default").xml(inactive: true) }
        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: [[.live, .config], .live, .current] as [NetworkUpdateFlags])
    func addsAndDeletesDHCPHostsLive(flags: NetworkUpdateFlags) throws {
        let connection = try Connection(uri: testURI)
        let network = try connection.defineNetwork(xml: networkXML(name: uniqueName("update"), octet: 201))
        defer { remove(network) }
        try network.start()
        let host = "<host mac='52:54:00:7b:c9:0b' name='guest' ip='10.123.201.11'/>"

        try network.update(.add, .ipDHCPHost, xml: host, flags: flags)
        #expect(try network.xml().contains("10.123.201.11"))

        try network.update(.delete, .ipDHCPHost, xml: host, flags: flags)
        #expect(try !network.xml().contains("10.123.201.11"))
    }

    @Test func updatesDNSHostsFirstAndLast() throws {
        let connection = try Connection(uri: testURI)
        let network = try connection.createNetwork(xml: networkXML(name: uniqueName("dns"), octet: 202))
        defer { remove(network) }
        try network.update(.addLast, .dnsHost, xml: "<host ip='10.123.202.5'><hostname>last</hostname></host>", flags: .live)
        try network.update(.addFirst, .dnsHost, xml: "<host ip='10.123.202.6'><hostname>first</hostname></host>", flags: .live)
        let xml = try network.xml()
        let first = try #require(xml.range(of: "first"))
        let last = try #require(xml.range(of: "last"))
        #expect(first.lowerBound < last.lowerBound)
    }

    enum NetworkKind: Sendable {
        case transient, persistentRunning, persistentStopped
    }

    @Test(arguments: [
        (.persistentRunning, .ip, [.live, .config], .operationUnsupported),
        (.transient, .ipDHCPHost, .config, .operationInvalid),
        (.persistentStopped, .ipDHCPHost, .live, .operationInvalid),
    ] as [(NetworkKind, NetworkUpdateSection, NetworkUpdateFlags, LibvirtError.Code)])
    func refusesImpossibleUpdates(
        kind: NetworkKind, section: NetworkUpdateSection, flags: NetworkUpdateFlags, code: LibvirtError.Code
    ) throws {
        let connection = try Connection(uri: testURI)
        let xml = networkXML(name: uniqueName("refused"), octet: 203)
        let network = try kind == .transient ? connection.createNetwork(xml: xml) : connection.defineNetwork(xml: xml)
        defer { remove(network) }
        if kind == .persistentRunning {
            try network.start()
        }
        let element = section == .ip
            ? "<ip address='10.123.203.1' prefix='24'/>"
            : "<host mac='52:54:00:7b:c9:0c' ip='10.123.203.12'/>"
        let error = libvirtError { try network.update(.add, section, xml: element, flags: flags) }
        #expect(error?.code == code)
    }

    @Test func dhcpLeasesAreUnsupportedByTheTestDriver() throws {
        let connection = try Connection(uri: testURI)
        let error = libvirtError { _ = try connection.network(named: "default").dhcpLeases() }
        #expect(error?.code == .noSupport)
    }
}
