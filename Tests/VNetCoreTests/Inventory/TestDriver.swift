import Libvirt

/// libvirt's in-process test driver: handles for hand-built inventories, no daemon.
enum TestDriver {
    static let connection = try! Connection(uri: "test:///default")
}
