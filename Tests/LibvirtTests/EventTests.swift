import Foundation
import Testing
@testable import Libvirt

@Suite struct EventTests {
    @Test func deliversNetworkLifecycleEventsInOrder() async throws {
        let connection = try Connection(uri: testURI)
        let events = try connection.networkEvents()
        let network = try connection.defineNetwork(xml: networkXML(name: uniqueName("events")))
        defer { remove(network) }
        let name = network.name
        let uuid = try network.uuid

        try network.start()
        try network.stop()
        try network.undefine()

        let received = try await first(4, of: events) { $0.network == name }
        #expect(received.map(\.kind) == [.defined, .started, .stopped, .undefined])
        #expect(received.allSatisfy { $0.uuid == uuid })
    }

    @Test func deliversDomainLifecycleEventsInOrder() async throws {
        let connection = try Connection(uri: testURI)
        let events = try connection.domainEvents()
        let domain = try connection.defineDomain(xml: domainXML(name: uniqueName("events")))
        defer { remove(domain) }
        let name = domain.name

        try domain.start()
        try domain.destroy()
        try domain.undefine()

        let received = try await first(4, of: events) { $0.domain == name }
        #expect(received.map(\.kind) == [.defined, .started, .stopped, .undefined])
        #expect(received[2].detail == 1, "VIR_DOMAIN_EVENT_STOPPED_DESTROYED")
    }

    @Test func droppingTheStreamReleasesTheConnection() async throws {
        weak var released: Connection?
        do {
            let connection = try Connection(uri: testURI)
            released = connection
            _ = try connection.networkEvents()
            _ = try connection.domainEvents()
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while released != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(released == nil)
    }
}
