import Libvirt

/// Removes what a topology names, and nothing else: VMs first (with their reservations), then networks.
public enum TopologyTeardown {
    /// The objects removed, as `kind name` lines; objects the file names that do not exist are skipped.
    public static func teardown(_ topology: Topology, on connection: Connection) throws(VNetError) -> [TopologyAction] {
        var actions: [TopologyAction] = []
        for entry in topology.vms {
            guard let domain = try LibvirtLookup.existingDomain(named: entry.spec.name, on: connection) else { continue }
            try VMRemover.remove(domain, on: connection)
            actions.append(.init(kind: .vm, name: entry.spec.name, outcome: .removed))
        }
        for entry in topology.networks {
            guard let network = try LibvirtLookup.existingNetwork(named: entry.spec.name, on: connection) else { continue }
            try NetworkRemover.remove(network, on: connection)
            actions.append(.init(kind: .network, name: entry.spec.name, outcome: .removed))
        }
        return actions
    }
}
