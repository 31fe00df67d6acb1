import Foundation
import Testing
@testable import Libvirt

@Suite struct DomainTests {
    /// Whether the test driver's `test` domain (running, persistent) passes each filter.
    @Test(arguments: [
        ([], true),
        (.active, true),
        (.inactive, false),
        (.persistent, true),
        (.transient, false),
        (.running, true),
        (.shutoff, false),
        ([.paused, .shutoff], false),
    ] as [(DomainListFlags, Bool)])
    func listsTheTestDomain(flags: DomainListFlags, listed: Bool) throws {
        let connection = try Connection(uri: testURI)
        #expect(try connection.domains(flags).map(\.name).contains("test") == listed)
    }

    @Test func looksUpByNameAndUUID() throws {
        let connection = try Connection(uri: testURI)
        let byName = try connection.domain(named: "test")
        let byUUID = try connection.domain(uuid: byName.uuid)
        #expect(byUUID.name == "test")
        #expect(byUUID.id != nil)
        #expect(try byUUID.state == .running)
    }

    @Test func missingDomainIsNoDomain() throws {
        let connection = try Connection(uri: testURI)
        #expect(libvirtError { _ = try connection.domain(named: uniqueName("missing")) }?.code == .noDomain)
        #expect(libvirtError { _ = try connection.domain(uuid: UUID()) }?.code == .noDomain)
    }

    @Test func rejectsMalformedXML() throws {
        let connection = try Connection(uri: testURI)
        let error = libvirtError { _ = try connection.defineDomain(xml: "<domain type='test'><name>broken") }
        #expect(error?.code == .xmlDetail)
        #expect(error?.domain == .domain)
    }

    @Test func definesStartsDestroysAndUndefines() throws {
        let connection = try Connection(uri: testURI)
        let domain = try connection.defineDomain(xml: domainXML(name: uniqueName("life")))
        defer { remove(domain) }
        #expect(try domain.state == .shutoff)
        #expect(domain.id == nil)
        #expect(try !domain.isActive)
        #expect(try domain.isPersistent)
        #expect(try domain.xml().contains("<name>\(domain.name)</name>"))

        try domain.start()
        #expect(try domain.state == .running)
        #expect(domain.id != nil)
        #expect(try domain.isActive)

        try domain.destroy()
        #expect(try domain.state == .shutoff)
        #expect(domain.id == nil)

        try domain.undefine()
        #expect(libvirtError { _ = try connection.domain(named: domain.name) }?.code == .noDomain)
    }

    @Test func shutsDown() throws {
        let connection = try Connection(uri: testURI)
        let domain = try connection.defineDomain(xml: domainXML(name: uniqueName("shutdown")))
        defer { remove(domain) }
        try domain.start()
        try domain.shutdown()
        #expect(try domain.state == .shutoff)
    }

    @Test func createsTransientDomains() throws {
        let connection = try Connection(uri: testURI)
        let domain = try connection.createDomain(xml: domainXML(name: uniqueName("transient")))
        defer { remove(domain) }
        #expect(try domain.state == .running)
        #expect(try !domain.isPersistent)
        try domain.destroy()
        #expect(libvirtError { _ = try connection.domain(named: domain.name) }?.code == .noDomain)
    }

    @Test func refusesADuplicateRunningDomain() throws {
        let connection = try Connection(uri: testURI)
        let xml = domainXML(name: uniqueName("duplicate"))
        let domain = try connection.createDomain(xml: xml)
        defer { remove(domain) }
        let duplicate = libvirtError { _ = try connection.createDomain(xml: xml) }
        #expect(duplicate?.code == .operationFailed)
        #expect(duplicate?.description.contains(domain.name) == true)
    }

    /// The test driver makes up one interface with one address for whichever source is asked.
    @Test(arguments: [InterfaceAddressSource.lease, .agent, .arp])
    func reportsInterfaceAddresses(source: InterfaceAddressSource) throws {
        let connection = try Connection(uri: testURI)
        let interfaces = try connection.domain(named: "test").interfaceAddresses(source: source)
        #expect(interfaces == [
            DomainInterface(
                name: "testnet0",
                mac: "aa:bb:cc:dd:ee:ff",
                addresses: [.init(address: "192.168.122.3", prefix: 24, family: .ipv4)]
            ),
        ])
    }

    @Test(arguments: [
        (Int32(0), DomainState.noState), (1, .running), (2, .blocked), (3, .paused),
        (4, .shutdown), (5, .shutoff), (6, .crashed), (7, .pmSuspended), (42, .unknown(42)),
    ])
    func mapsStates(rawValue: Int32, state: DomainState) {
        #expect(DomainState(rawValue: rawValue) == state)
        #expect(state.rawValue == rawValue)
    }

    /// The names vnetctl's output gives the states: the case names, as reflection printed them
    /// before `description` spelled them out.
    @Test(arguments: [
        (DomainState.noState, "noState"), (.running, "running"), (.blocked, "blocked"), (.paused, "paused"),
        (.shutdown, "shutdown"), (.shutoff, "shutoff"), (.crashed, "crashed"), (.pmSuspended, "pmSuspended"),
        (.unknown(42), "unknown(42)"),
    ])
    func namesStatesByTheirCase(state: DomainState, name: String) {
        #expect(state.description == name)
        #expect("\(state)" == name)
    }
}
