import Foundation
import Libvirt

/// libvirt's in-process test driver: handles for hand-built inventories, no daemon.
enum TestDriver {
    static let connection = try! Connection(uri: "test:///default")
    private static let lock = NSLock()

    /// A handle on a network of that name in the test driver, defined there from `xml` the first time.
    static func network(named name: String, xml: String) throws -> Network {
        lock.lock()
        defer { lock.unlock() }
        return try (try? connection.network(named: name)) ?? connection.defineNetwork(xml: xml)
    }

    /// A handle on a domain of that name in the test driver, defined there the first time.
    static func domain(named name: String) throws -> Domain {
        lock.lock()
        defer { lock.unlock() }
        return try (try? connection.domain(named: name)) ?? connection.defineDomain(
            xml: "<domain type='test'><name>\(name)</name><memory>1024</memory><os><type>hvm</type></os></domain>")
    }
}
