import ArgumentParser
import VNetCore

/// `vnetctl list [networks|vms]`: every network and VM on the connection, vnetctl's or not.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List networks and VMs (all of them, including those made with virsh).")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case networks, vms
    }

    @Argument(help: "What to list: networks or vms (default: both).")
    var kind: Kind?

    @OptionGroup var global: GlobalOptions

    private struct Listing: Encodable {
        var networks: [NetworkSummary]?
        var vms: [DomainSummary]?
    }

    func run() async throws {
        let connection = try global.connection(readOnly: true)
        let parts: Inventory.Parts = switch kind {
        case .networks: .networks
        case .vms: .domains
        case nil: [.networks, .domains]
        }
        let inventory = try Inventory.read(connection, parts)
        var listing = Listing()
        if kind != .vms { listing.networks = inventory.networks.map(NetworkSummary.init) }
        if kind != .networks { listing.vms = inventory.domains.map(DomainSummary.init) }
        Output.emit(listing, json: global.json) {
            var sections: [String] = []
            if let networks = listing.networks {
                sections.append(Self.table(networks))
            }
            if let vms = listing.vms {
                sections.append(Self.table(vms))
            }
            return sections.joined(separator: "\n\n")
        }
    }

    private static func table(_ networks: [NetworkSummary]) -> String {
        Table(
            headers: ["NETWORK", "MODEL", "STATE", "AUTOSTART", "PERSISTENT", "BRIDGE", "ADDRESSES"],
            rows: networks.map { network in
                [
                    network.name, network.model,
                    network.active ? "active" : "inactive", network.autostart ? "yes" : "no",
                    network.persistent ? "yes" : "no", network.bridge ?? "-",
                    network.addresses.isEmpty ? "-" : network.addresses.joined(separator: ","),
                ]
            }
        ).rendered
    }

    private static func table(_ vms: [DomainSummary]) -> String {
        Table(
            headers: ["VM", "STATE", "PERSISTENT", "NICS"],
            rows: vms.map { vm in
                let nics = vm.nics.map { nic in
                    "\(nic.source.network ?? nic.source.bridge ?? nic.source.dev ?? nic.kind)=\(nic.mac ?? "?")"
                }
                return [vm.name, vm.state, vm.persistent ? "yes" : "no", nics.isEmpty ? "-" : nics.joined(separator: ",")]
            }
        ).rendered
    }
}
