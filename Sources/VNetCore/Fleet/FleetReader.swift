import Libvirt

/// Reads the inventories of several hosts at once, each on its own connection, for the commands
/// that look across a fleet (`list`, `macs`, `show`).
///
/// A host that cannot be reached does not stop the others: its entry carries the error.
public enum FleetReader {
    /// One host's inventory and the connection it was read on, or why it could not be read.
    public struct HostInventory: Sendable {
        public var host: FleetHost
        public var result: Result<Read, VNetError>

        /// What was read on a host that answered.
        public struct Read: Sendable {
            public var connection: Connection
            public var inventory: Inventory
        }

        /// What was read, or nil when the host could not be read.
        public var read: Read? { try? result.get() }
        /// Why the host could not be read, or nil.
        public var error: VNetError? {
            guard case .failure(let error) = result else { return nil }
            return error
        }
    }

    /// The hosts that URIs alone name (`-c` given several times), each named by its URI.
    public static func hosts(uris: [String]) -> [FleetHost] {
        uris.map { FleetHost(name: $0, uri: $0) }
    }

    /// Reads `parts` of every host concurrently; the results are in the order of `hosts`.
    ///
    /// With `.host` among `parts`, a host whose libvirt UUID an earlier host has too is the same
    /// libvirtd reached twice (two URIs of one machine): it fails, naming the first, rather than
    /// counting every MAC twice.
    public static func read(_ hosts: [FleetHost], _ parts: Inventory.Parts, readOnly: Bool = true) -> [HostInventory] {
        // The body never throws: each host's result holds its own error.
        var reads = (try? BoundedWorkers.map(hosts, workers: hosts.count) { host in
            HostInventory(host: host, result: Result { () throws(VNetError) -> HostInventory.Read in
                let connection = try LibvirtSession.open(uri: host.uri, readOnly: readOnly)
                return HostInventory.Read(connection: connection, inventory: try Inventory.read(connection, parts))
            })
        }) ?? []
        var seen: [String: String] = [:]
        for index in reads.indices {
            guard let uuid = reads[index].read?.inventory.host.uuid?.lowercased() else { continue }
            if let first = seen[uuid] {
                reads[index].result = .failure(.invalidInput(
                    "it reaches the same libvirt host as \(first) (host UUID \(uuid)); name each host once"))
            } else {
                seen[uuid] = reads[index].host.name
            }
        }
        return reads
    }
}
