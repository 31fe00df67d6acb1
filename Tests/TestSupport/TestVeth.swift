import Foundation

/// A veth pair the test makes by hand (`vntxxxxxxva` and `vntxxxxxxvb`, both up), to carry macvtaps
/// or to reach a namespace; removed by `remove()`.
public final class TestVeth {
    /// The end tests use (`…va`).
    public let name: String
    /// The other end (`…vb`), in the root namespace unless moved.
    public let peer: String
    private var created = false

    public init() throws {
        let id = NetObjectNames.id()
        name = NetObjectNames.interface(id, "va")
        peer = NetObjectNames.interface(id, "vb")
        try Command.output(["ip", "link", "add", name, "type", "veth", "peer", "name", peer])
        created = true
        do {
            try Command.output(["ip", "link", "set", name, "up"])
            try Command.output(["ip", "link", "set", peer, "up"])
        } catch {
            remove()
            throw error
        }
    }

    /// The MAC of `name`, lowercase.
    public func mac() throws -> String {
        try String(contentsOfFile: "/sys/class/net/\(name)/address", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public func remove() {
        if created {
            _ = try? Command.run(["ip", "link", "del", name])
            created = false
        }
    }

    deinit { remove() }
}
