import Testing
@testable import Libvirt

@Suite struct ConnectionTests {
    @Test func opensTheTestDriver() throws {
        let connection = try Connection(uri: testURI)
        #expect(try connection.uri == testURI)
        #expect(try !connection.hostname.isEmpty)
    }

    @Test func reportsVersions() throws {
        let connection = try Connection(uri: testURI)
        let library = try Connection.libraryVersion()
        #expect(library >= Version(major: 9, minor: 0, release: 0))
        #expect(try connection.daemonVersion() == library, "the test driver runs in this process")
        #expect(try connection.hypervisorVersion() == Version(major: 0, minor: 0, release: 2))
    }

    @Test func refusesAnUnknownDriver() {
        let error = libvirtError { _ = try Connection(uri: "bogus:///nowhere") }
        #expect(error?.code == .noConnect)
        #expect(error?.description.contains("bogus:///nowhere") == true)
    }

    @Test func readOnlyConnectionRefusesChanges() throws {
        let connection = try Connection(uri: testURI, readOnly: true)
        #expect(try connection.network(named: "default").name == "default")
        let error = libvirtError { _ = try connection.defineNetwork(xml: networkXML(name: uniqueName("ro"))) }
        #expect(error?.code == .operationDenied)
    }

    @Test("test:///default is one instance shared by every connection open in the process")
    func connectionsShareTheDefaultTestDriver() throws {
        let first = try Connection(uri: testURI)
        let second = try Connection(uri: testURI)
        let network = try first.defineNetwork(xml: networkXML(name: uniqueName("shared")))
        defer { remove(network) }
        #expect(try second.network(named: network.name).uuid == network.uuid)
    }
}
