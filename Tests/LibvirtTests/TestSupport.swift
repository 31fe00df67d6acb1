import Foundation
@testable import Libvirt

/// The URI of libvirt's in-process test driver, which needs no daemon.
let testURI = "test:///default"

/// A name no other test uses, so tests can run in parallel on the shared test driver state.
func uniqueName(_ prefix: String) -> String {
    "vnetctl-test-\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}

func networkXML(name: String, bridge: String? = nil, octet: Int = 200) -> String {
    """
    <network>
      <name>\(name)</name>
      <bridge name='\(bridge ?? "vbr\(octet)")'/>
      <ip address='10.123.\(octet).1' netmask='255.255.255.0'>
        <dhcp><range start='10.123.\(octet).100' end='10.123.\(octet).200'/></dhcp>
      </ip>
    </network>
    """
}

func domainXML(name: String) -> String {
    "<domain type='test'><name>\(name)</name><memory>8192</memory><os><type>hvm</type></os></domain>"
}

/// Stops and undefines a network the test made, whatever state the test left it in.
func remove(_ network: Network) {
    try? network.stop()
    try? network.undefine()
}

/// Stops and undefines a domain the test made, whatever state the test left it in.
func remove(_ domain: Domain) {
    try? domain.destroy()
    try? domain.undefine()
}

struct TimedOut: Error {}

/// The first `count` elements of `stream` that pass `include`, or `TimedOut` if they take too long.
func first<Element: Sendable>(
    _ count: Int,
    of stream: AsyncStream<Element>,
    where include: @escaping @Sendable (Element) -> Bool,
    timeout: Duration = .seconds(10)
) async throws -> [Element] {
    try await withThrowingTaskGroup(of: [Element].self) { group in
        group.addTask {
            var elements: [Element] = []
            for await element in stream where include(element) {
                elements.append(element)
                if elements.count == count { break }
            }
            return elements
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Runs `body` and returns the `LibvirtError` it throws, or `nil` if it throws none.
func libvirtError(_ body: () throws -> Void) -> LibvirtError? {
    do {
        try body()
        return nil
    } catch {
        return error as? LibvirtError
    }
}
